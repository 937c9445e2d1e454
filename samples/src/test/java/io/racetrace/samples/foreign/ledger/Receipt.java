package io.racetrace.samples.foreign.ledger;

/** What the ledger answers: the confirmation is {@code DONE}. */
public enum Receipt { DONE, INSUFFICIENT, CONFLICT }
