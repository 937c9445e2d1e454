package io.racetrace.spring.reservation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * Counters since start, answered by {@code GET /stats}. They describe what the service did, not
 * what the database holds: the ground truth is {@code GET /truth}, computed from the rows.
 */
@Component
public class ReservationStats {
  final LongAdder racyRequests = new LongAdder();
  final LongAdder safeRequests = new LongAdder();
  final LongAdder confirmed = new LongAdder();
  final LongAdder soldOut = new LongAdder();
  final LongAdder conflicts = new LongAdder();
  final LongAdder replayed = new LongAdder();
  /** Safe path: attempts whose versioned update found the row moved on. */
  final LongAdder optimisticLockFailures = new LongAdder();
  /** Safe path: attempts whose insert met a concurrent request with the same id. */
  final LongAdder requestIdCollisions = new LongAdder();
  /** Safe path: other transient failures (lock timeouts, deadlocks, serialization failures). */
  final LongAdder otherConcurrencyFailures = new LongAdder();
  /** Safe path: attempts after the first. */
  final LongAdder retries = new LongAdder();

  ReservationResult count(ReservationResult r) {
    switch (r.status()) {
      case CONFIRMED -> confirmed.increment();
      case SOLD_OUT -> soldOut.increment();
      case CONFLICT -> conflicts.increment();
    }
    if (r.replayed()) {
      replayed.increment();
    }
    return r;
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("racyRequests", racyRequests.sum());
    m.put("safeRequests", safeRequests.sum());
    m.put("confirmed", confirmed.sum());
    m.put("soldOut", soldOut.sum());
    m.put("conflicts", conflicts.sum());
    m.put("replayed", replayed.sum());
    m.put("optimisticLockFailures", optimisticLockFailures.sum());
    m.put("requestIdCollisions", requestIdCollisions.sum());
    m.put("otherConcurrencyFailures", otherConcurrencyFailures.sum());
    m.put("retries", retries.sum());
    return m;
  }
}
