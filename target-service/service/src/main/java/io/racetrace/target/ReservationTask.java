package io.racetrace.target;

import io.racetrace.target.worker.DroppableTask;

/** One delivery of a request to the worker pool. */
final class ReservationTask implements DroppableTask {
  private final ReservationService service;
  private final ReservationRequest request;
  private final ReservationCallback callback;
  private final long enqueuedNanos;
  private final boolean redeliverAfter;

  ReservationTask(
      ReservationService service,
      ReservationRequest request,
      ReservationCallback callback,
      long enqueuedNanos,
      boolean redeliverAfter) {
    this.service = service;
    this.request = request;
    this.callback = callback;
    this.enqueuedNanos = enqueuedNanos;
    this.redeliverAfter = redeliverAfter;
  }

  @Override
  public void run() {
    try {
      service.process(request, callback, enqueuedNanos);
    } finally {
      if (redeliverAfter) {
        // At-least-once delivery whose ack was lost: the message comes back after it was handled.
        service.redeliver(request);
      }
    }
  }

  @Override
  public void drop(String reason) {
    service.dropped(request, callback, enqueuedNanos, reason);
  }
}
