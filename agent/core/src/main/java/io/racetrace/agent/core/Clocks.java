package io.racetrace.agent.core;

import java.time.Instant;

/** Wall-clock time in epoch nanoseconds, for the anchors that map monotonic times to the wall clock. */
public final class Clocks {
  private Clocks() {}

  public static long wallNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Mean cost of one {@link System#nanoTime()} call on this machine, measured once (a few ms). */
  public static long nanoTimeCost() {
    long sink = 0;
    for (int i = 0; i < 20_000; i++) {
      sink += System.nanoTime(); // warm up
    }
    int n = 100_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += System.nanoTime();
    }
    long cost = (System.nanoTime() - t0) / n;
    return sink == 42 ? cost + 1 : Math.max(1, cost);
  }
}
