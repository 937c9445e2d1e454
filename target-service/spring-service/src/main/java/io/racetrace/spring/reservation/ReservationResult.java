package io.racetrace.spring.reservation;

/**
 * The answer to one reservation request.
 *
 * @param remaining the stock this request left (or found, when sold out); -1 on a replay
 * @param readVersion the inventory version this request read, and on the safe path replaced;
 *     -1 on a replay
 * @param attempts transactions the request took (the recorded ones on a replay)
 * @param replayed true when the request id had already been decided and this is that outcome
 */
public record ReservationResult(
    String requestId,
    String sku,
    int units,
    ReservationStatus status,
    long remaining,
    long readVersion,
    int attempts,
    boolean replayed) {

  static ReservationResult replayOf(Reservation r) {
    return new ReservationResult(r.getRequestId(), r.getSku(), r.getUnits(), r.getStatus(), -1, -1, r.getAttempts(), true);
  }
}
