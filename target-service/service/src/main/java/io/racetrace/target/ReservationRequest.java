package io.racetrace.target;

/**
 * One reservation as the client sent it. Part of the probe contract: the racetrace agent reads
 * {@code requestId}, {@code sku} and {@code quantity} from this record by name, so keep its shape.
 *
 * <p>The record does not validate: the HTTP layer answers 400 for bad input before a request is
 * built, and {@link ReservationService#reserve} re-checks what it relies on.
 */
public record ReservationRequest(String requestId, String sku, int quantity) {}
