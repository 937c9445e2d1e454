package io.racetrace.samples.foreign.bank;

/** A client's withdrawal: its id (resent as is when the client lost the answer), the account, the units. */
public record Withdrawal(String id, String account, long amount) {}
