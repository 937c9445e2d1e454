package io.racetrace.target.store;

/**
 * A storage operation timed out (injected by the {@code timeoutRate} fault knob). Answered 503,
 * so well-behaved clients retry; the transaction was rolled back and nothing was written.
 */
public final class StorageTimeoutException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageTimeoutException(String message) {
    super(message);
  }
}
