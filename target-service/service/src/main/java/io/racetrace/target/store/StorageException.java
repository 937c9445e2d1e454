package io.racetrace.target.store;

/** A storage operation failed. Answered 500 by the HTTP layer; the transaction was rolled back. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
