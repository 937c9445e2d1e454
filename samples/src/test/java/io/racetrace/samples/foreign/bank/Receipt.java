package io.racetrace.samples.foreign.bank;

/** The bank's answer to a withdrawal. */
public enum Receipt { DONE, INSUFFICIENT }
