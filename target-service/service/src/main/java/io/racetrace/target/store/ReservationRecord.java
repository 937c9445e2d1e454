package io.racetrace.target.store;

/**
 * A row of the {@code reservations} table (conditional mode only): the first final outcome of a
 * request id, written in the same transaction as the state change it records.
 *
 * @param version the inventory version this reservation wrote (CONFIRMED) or read (SOLD_OUT)
 */
public record ReservationRecord(String requestId, String sku, int quantity, String outcome, long version) {}
