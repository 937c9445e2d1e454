package io.racetrace.target.fault;

import java.util.Map;

/**
 * The fault knobs in force. Immutable; {@link Faults} swaps whole instances, so a worker never sees
 * half of an admin update.
 *
 * @param readLatencyMs added inside {@code InventoryStore.read}, after the row was fetched: it
 *     widens the window in which the value read is stale
 * @param writeLatencyMs added inside {@code write} / {@code compareAndSet}, before the statement
 *     runs, so no row lock is held while waiting
 * @param timeoutRate probability in [0,1] that one store read or write fails with a
 *     {@code StorageTimeoutException} (before touching the row)
 * @param timeoutDelayMs how long a failing operation blocks before it throws
 * @param duplicateRate probability in [0,1] that an accepted request is delivered a second time,
 *     as an at-least-once queue whose ack was lost would do
 */
public record FaultSettings(
    int readLatencyMs, int writeLatencyMs, double timeoutRate, int timeoutDelayMs, double duplicateRate) {

  public static final FaultSettings NONE = new FaultSettings(0, 0, 0.0, 0, 0.0);
  /** Upper bound for any latency knob: a fault knob, not a way to hang a worker forever. */
  public static final int MAX_LATENCY_MS = 60_000;

  public FaultSettings {
    checkMillis("readLatencyMs", readLatencyMs);
    checkMillis("writeLatencyMs", writeLatencyMs);
    checkMillis("timeoutDelayMs", timeoutDelayMs);
    checkRate("timeoutRate", timeoutRate);
    checkRate("duplicateRate", duplicateRate);
  }

  private static void checkMillis(String name, int v) {
    if (v < 0 || v > MAX_LATENCY_MS) {
      throw new IllegalArgumentException(name + " must be in [0, " + MAX_LATENCY_MS + "], got " + v);
    }
  }

  private static void checkRate(String name, double v) {
    if (!(v >= 0.0 && v <= 1.0)) { // also rejects NaN
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }

  /** Applies the keys present in {@code changes}; an unknown key or a bad value throws. */
  public FaultSettings with(Map<String, ? extends Number> changes) {
    int rl = readLatencyMs;
    int wl = writeLatencyMs;
    double tr = timeoutRate;
    int td = timeoutDelayMs;
    double dr = duplicateRate;
    for (Map.Entry<String, ? extends Number> e : changes.entrySet()) {
      Number v = e.getValue();
      switch (e.getKey()) {
        case "readLatencyMs" -> rl = intValue(e.getKey(), v);
        case "writeLatencyMs" -> wl = intValue(e.getKey(), v);
        case "timeoutRate" -> tr = v.doubleValue();
        case "timeoutDelayMs" -> td = intValue(e.getKey(), v);
        case "duplicateRate" -> dr = v.doubleValue();
        default -> throw new IllegalArgumentException("unknown fault knob: " + e.getKey());
      }
    }
    return new FaultSettings(rl, wl, tr, td, dr);
  }

  private static int intValue(String name, Number v) {
    double d = v.doubleValue();
    if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be a whole number of milliseconds, got " + v);
    }
    return (int) d;
  }
}
