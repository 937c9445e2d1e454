package io.racetrace.bench;

/**
 * A store as cheap as it gets, so the benchmark measures the agent, not the store: a read that
 * returns a record with quantity and version, a blind write of both.
 */
public final class BenchStore {
  /** Row of the store; version is a record component, as in many services. */
  public record Row(String key, long quantity, long version) {}

  private Row row = new Row("sku-1", Long.MAX_VALUE / 2, 1_000);

  public Row read(String key) {
    return row;
  }

  public void write(String key, long quantity, long version) {
    row = new Row(key, quantity, version);
  }
}
