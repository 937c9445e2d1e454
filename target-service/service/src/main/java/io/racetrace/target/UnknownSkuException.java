package io.racetrace.target;

/** The sku has no inventory row. Answered 404; nothing was changed. */
public final class UnknownSkuException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownSkuException(String sku) {
    super("unknown sku: " + sku);
  }
}
