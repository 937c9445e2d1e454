package io.racetrace.target;

import java.util.Locale;

/** How {@link ReservationService#reserve} writes the inventory row. Chosen once, at start. */
public enum Mode {
  /** Read, check, blind write: the lost-update race of the seed, step 2. No idempotency. */
  UNSAFE,
  /** Compare-and-set on the version, bounded jittered retries, idempotent request ids. */
  CONDITIONAL;

  /** Parses {@code unsafe} / {@code conditional}, case-insensitively. */
  public static Mode parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
