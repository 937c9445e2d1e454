package io.racetrace.samples.foreign.stock;

/** A stock row as the DAO maps it: a JavaBean with getters, as a JDBC or JPA layer would. */
public final class Stock {
  private final long id;
  private final int qty;
  private final long version;

  public Stock(long id, int qty, long version) {
    this.id = id;
    this.qty = qty;
    this.version = version;
  }

  public long getId() { return id; }
  public int getQty() { return qty; }
  public long getVersion() { return version; }
}
