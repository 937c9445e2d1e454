package io.racetrace.spring.inventory;

/** No inventory row for this sku (answered 404). */
public class UnknownSkuException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownSkuException(String sku) {
    super("unknown sku: " + sku);
  }
}
