package io.racetrace.target;

/** How a worker reports a request back to whoever submitted it (the HTTP layer). */
public interface ReservationCallback {
  /** A callback for redeliveries, whose answer nobody is waiting for. */
  ReservationCallback DISCARD =
      new ReservationCallback() {
        @Override
        public void completed(ReservationRequest r, ReservationReceipt receipt, Timing timing) {}

        @Override
        public void failed(ReservationRequest r, RuntimeException error, Timing timing) {}
      };

  void completed(ReservationRequest r, ReservationReceipt receipt, Timing timing);

  /** {@code error} is a storage, restart, unknown-sku or validation failure, or a bug. */
  void failed(ReservationRequest r, RuntimeException error, Timing timing);

  /**
   * @param queueDelayNanos from acceptance into the queue to the start on a worker
   * @param serviceNanos time on the worker
   * @param worker the worker thread's name
   */
  record Timing(long queueDelayNanos, long serviceNanos, String worker) {}
}
