package io.racetrace.target;

/**
 * The worker pool was restarted while this request was queued or in flight. Its transaction was
 * rolled back (a restart never cuts a commit in half), and it is answered 503 so clients retry.
 */
public final class WorkerRestartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkerRestartException(String message) {
    super(message);
  }
}
