package io.racetrace.target;

/**
 * A request id that was already decided came back for a different sku or quantity (conditional
 * mode). Answered 422; nothing was changed.
 */
public final class IdempotencyKeyReuseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public IdempotencyKeyReuseException(String requestId, String sku, int quantity) {
    super("request id " + requestId + " was already used for sku " + sku + " x" + quantity);
  }
}
