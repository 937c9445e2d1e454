package io.racetrace.samples.foreign.ledger;

/** A client's withdrawal of {@code amount} units (1..5); {@code id} is the client's idempotency key. */
public record Withdrawal(String id, String account, int amount) {}
