package io.racetrace.samples.foreign.stock;

/** Optimistic-lock failure: the row's version was no longer the one read. */
public final class StaleStockException extends RuntimeException {
  public StaleStockException(long id, long version) {
    super("stock " + id + " is no longer at version " + version);
  }
}
