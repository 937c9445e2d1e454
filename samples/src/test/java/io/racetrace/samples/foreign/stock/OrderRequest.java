package io.racetrace.samples.foreign.stock;

/** A client's order of {@code quantity} units (1..3) of one stock item. */
public final class OrderRequest {
  private final String orderId;
  private final long stockId;
  private final int quantity;

  public OrderRequest(String orderId, long stockId, int quantity) {
    this.orderId = orderId;
    this.stockId = stockId;
    this.quantity = quantity;
  }

  public String getOrderId() { return orderId; }
  public long getStockId() { return stockId; }
  public int getQuantity() { return quantity; }
}
