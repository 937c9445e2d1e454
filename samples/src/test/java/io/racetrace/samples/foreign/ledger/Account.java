package io.racetrace.samples.foreign.ledger;

/** An account row: its balance and the revision the store bumps on every write. */
public record Account(String id, long balance, long revision) {}
