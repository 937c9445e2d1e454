package io.racetrace.samples.foreign.stock;

/** The service's answer; the confirmation is status {@code PLACED}. */
public final class OrderResult {
  public static final OrderResult PLACED = new OrderResult("PLACED");
  public static final OrderResult OUT_OF_STOCK = new OrderResult("OUT_OF_STOCK");
  public static final OrderResult RETRY_LATER = new OrderResult("RETRY_LATER");

  private final String status;

  private OrderResult(String status) {
    this.status = status;
  }

  public String getStatus() { return status; }
}
