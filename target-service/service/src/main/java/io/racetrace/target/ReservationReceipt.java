package io.racetrace.target;

/**
 * The details of a finished {@link ReservationService#reserve} beyond its outcome, for the HTTP
 * answer.
 *
 * @param remaining the quantity the service left (CONFIRMED) or saw (SOLD_OUT, CONFLICT); -1 on a
 *     replay, where the current quantity was not read
 * @param version the inventory version this reservation wrote (CONFIRMED) or last read
 * @param attempts storage write attempts made for this delivery (0 for a replay or SOLD_OUT)
 * @param replayed true if this id was already decided and the recorded outcome was returned
 */
public record ReservationReceipt(
    ReservationOutcome outcome, long remaining, long version, int attempts, boolean replayed) {}
