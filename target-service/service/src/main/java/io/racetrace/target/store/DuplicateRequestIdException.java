package io.racetrace.target.store;

/** Inserting a reservation record hit the primary key: another delivery of this id got there first. */
public final class DuplicateRequestIdException extends StorageException {
  private static final long serialVersionUID = 1L;

  public DuplicateRequestIdException(String requestId, Throwable cause) {
    super("request id already recorded: " + requestId, cause);
  }
}
