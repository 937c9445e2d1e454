package io.racetrace.target;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Server-side counters of one service JVM since the last reset (a reset happens when the admin
 * replaces the inventory, i.e. at the start of a test phase).
 *
 * <p>Concurrency: {@link LongAdder}s and {@link ConcurrentHistogram}s, recorded from many workers
 * without locks. A snapshot taken during load is approximate across counters.
 */
public final class ServiceStats {
  final LongAdder accepted = new LongAdder();
  final LongAdder rejectedQueueFull = new LongAdder();
  final LongAdder confirmed = new LongAdder();
  final LongAdder soldOut = new LongAdder();
  final LongAdder conflict = new LongAdder();
  final LongAdder replayed = new LongAdder();
  final LongAdder duplicateDeliveries = new LongAdder();
  final LongAdder duplicateDeliveriesDropped = new LongAdder();
  final LongAdder writeAttempts = new LongAdder();
  final LongAdder casFailures = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder storageTimeouts = new LongAdder();
  final LongAdder storageErrors = new LongAdder();
  final LongAdder workerRestartFailures = new LongAdder();
  final LongAdder unknownSku = new LongAdder();
  final LongAdder badRequests = new LongAdder();
  private final Histogram queueDelayMicros = new ConcurrentHistogram(3);
  private final Histogram serviceMicros = new ConcurrentHistogram(3);

  void recordTiming(long queueDelayNanos, long serviceNanos) {
    queueDelayMicros.recordValue(Math.max(0, queueDelayNanos / 1_000));
    serviceMicros.recordValue(Math.max(0, serviceNanos / 1_000));
  }

  public void reset() {
    for (LongAdder a :
        new LongAdder[] {
          accepted, rejectedQueueFull, confirmed, soldOut, conflict, replayed, duplicateDeliveries,
          duplicateDeliveriesDropped, writeAttempts, casFailures, retries, storageTimeouts, storageErrors,
          workerRestartFailures, unknownSku, badRequests
        }) {
      a.reset();
    }
    queueDelayMicros.reset();
    serviceMicros.reset();
  }

  /** A JSON-friendly view; see the service README for the meaning of each field. */
  public Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accepted", accepted.sum());
    m.put("rejectedQueueFull", rejectedQueueFull.sum());
    m.put("confirmed", confirmed.sum());
    m.put("soldOut", soldOut.sum());
    m.put("conflict", conflict.sum());
    m.put("replayed", replayed.sum());
    m.put("duplicateDeliveries", duplicateDeliveries.sum());
    m.put("duplicateDeliveriesDropped", duplicateDeliveriesDropped.sum());
    m.put("writeAttempts", writeAttempts.sum());
    m.put("casFailures", casFailures.sum());
    long attempts = writeAttempts.sum();
    m.put("casFailureRate", attempts == 0 ? 0.0 : (double) casFailures.sum() / attempts);
    m.put("retries", retries.sum());
    m.put("storageTimeouts", storageTimeouts.sum());
    m.put("storageErrors", storageErrors.sum());
    m.put("workerRestartFailures", workerRestartFailures.sum());
    m.put("unknownSku", unknownSku.sum());
    m.put("badRequests", badRequests.sum());
    m.put("queueDelayMicros", percentiles(queueDelayMicros));
    m.put("serviceMicros", percentiles(serviceMicros));
    return m;
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Histogram copy = h.copy();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", copy.getTotalCount());
    m.put("p50", copy.getValueAtPercentile(50));
    m.put("p99", copy.getValueAtPercentile(99));
    m.put("max", copy.getMaxValue());
    return m;
  }
}
