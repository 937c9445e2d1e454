package io.racetrace.agent.core;

import java.time.Instant;

/** Wall-clock time in epoch nanoseconds, for the anchors that map monotonic times to the wall clock. */
public final class Clocks {
  private Clocks() {}

  public static long wallNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
