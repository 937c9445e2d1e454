package io.racetrace.target;

/** What a reservation ended as. Part of the probe contract; keep the constant names. */
public enum ReservationOutcome {
  /** A unit was taken from the inventory (or, in conditional mode, was already taken for this request id). */
  CONFIRMED,
  /** Not enough inventory left. */
  SOLD_OUT,
  /** Conditional mode only: the version kept changing under us and the bounded retries ran out. */
  CONFLICT
}
