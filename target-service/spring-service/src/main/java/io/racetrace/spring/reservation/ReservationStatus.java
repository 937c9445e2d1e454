package io.racetrace.spring.reservation;

/** The outcome recorded for a request id. */
public enum ReservationStatus {
  /** The units were taken from the stock. */
  CONFIRMED,
  /** Fewer units were left than asked for. */
  SOLD_OUT,
  /** Safe path: every attempt lost the optimistic-lock race; final for its request id. */
  CONFLICT
}
