package io.racetrace.target;

/** The bounded worker queue is full: the request was not accepted. Answered 503. */
public final class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueFullException(int capacity) {
    super("worker queue full (capacity " + capacity + ")");
  }
}
