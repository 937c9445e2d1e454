package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.ExecutionSink;
import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.correlate.Observed;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.function.IntToLongFunction;

/**
 * The detectors of one analysis, fed by the correlator: each keeps its own state and gives its own
 * result; this class only passes each row and execution to the ones that use it, and what one
 * detector decides about an execution to the ones that need it (a duplicate confirmation is not
 * counted twice in its key's ledger; a client retry counts as a retry).
 *
 * <p>An execution's work comes in three parts, so that a {@link KeyPartitions} router can run each
 * where its state lives: {@link #countRequest} on the partition of the request's key, {@link
 * #checkDuplicate} on the partition of its request id, {@link #complete} on the partition of the
 * key it confirmed. A single set runs all three ({@link #onExecution}).
 *
 * <p>Concurrency: single-threaded. Merging: {@link #merge} folds in a set fed from another
 * partition of the same capture.
 */
public final class DetectorSet implements ExecutionSink, Detector<DetectorSet> {
  static final int DUPLICATE = 1;
  static final int CLIENT_RETRY = 2;

  public final TimeBuckets buckets = new TimeBuckets();
  public final Traffic traffic = new Traffic();
  public final KeyStates keys = new KeyStates();
  public final LostUpdateDetector lost = new LostUpdateDetector();
  public final DuplicateDetector duplicates;
  public final RetryDetector retries;
  public final QueueDetector queue;
  public final StorageFaultDetector storage = new StorageFaultDetector();
  public final LatencyStats latency;
  /** The warm-up's length; 0: none. */
  private final long warmupNanos;
  /** Per queue (row source), where its warm-up starts: the end of its first row. */
  private final IntToLongFunction warmupStart;
  /** Per queue, the wall time its warm-up ends, once known (grown as sources are seen). */
  private long[] warmupUntil = new long[0];

  public DetectorSet(long dedupHorizonNanos, int dedupMaxIds, int attemptLimit, long queueTargetNanos,
      Double expectedIntervalMs) {
    this(dedupHorizonNanos, dedupMaxIds, attemptLimit, queueTargetNanos, expectedIntervalMs, 0, src -> Long.MIN_VALUE);
  }

  /**
   * @param warmupNanos requests whose arrival (their start, without one) came within this of their
   *     queue's {@code warmupStart} are the warm-up: kept out of the latency and queue-delay figures
   * @param warmupStart per queue index, the wall time its warm-up starts ({@code Long.MIN_VALUE}: not yet known)
   */
  public DetectorSet(long dedupHorizonNanos, int dedupMaxIds, int attemptLimit, long queueTargetNanos,
      Double expectedIntervalMs, long warmupNanos, IntToLongFunction warmupStart) {
    this.warmupNanos = warmupNanos;
    this.warmupStart = warmupStart;
    duplicates = new DuplicateDetector(dedupHorizonNanos, dedupMaxIds);
    retries = new RetryDetector(attemptLimit);
    queue = new QueueDetector(queueTargetNanos);
    latency = new LatencyStats(expectedIntervalMs);
  }

  @Override
  public void onArrival(Ev a) {
    queue.onArrival(a, buckets);
  }

  @Override
  public Observed onRead(Ev e, Exec x) {
    KeyState k = keys.key(e);
    Observed seen = k != null ? lost.onRead(e, k) : null;
    storage.onStorage(e);
    return seen;
  }

  @Override
  public int shownState(Ev read) {
    KeyState k = keys.known(read.keyHash);
    return k == null ? SHOWS_OTHER : LostUpdateDetector.shownState(read, k); // a key with no state yet explains nothing
  }

  @Override
  public void onWrite(Ev e, Exec x, Observed read) {
    KeyState k = keys.key(e);
    retries.onWrite(e, buckets);
    storage.onStorage(e);
    boolean success = e.result == Result.SUCCESS || e.result == Result.NONE;
    if (success && x != null) {
      read = LostUpdateDetector.reconsidered(e, read, k);
    }
    Long effect = x != null && success ? KeyStates.effect(read, e, k) : null; // before the write moves the key's state on
    if (k != null && lost.onWrite(e, read, x, k)) {
      buckets.add(TimeBuckets.LOST_UPDATES, e.endWall, 1);
    }
    if (x != null && success) {
      x.effectKnown = effect != null;
      x.effectUnits = effect != null ? effect : 0;
      x.confirmKeyHash = k != null ? e.keyHash : 0;
      x.successWrite = k != null && k.lastWrite != null && k.lastWrite.seq == e.seq ? k.lastWrite : e.copy();
    }
  }

  @Override
  public void onDiscardedWrite(Ev e, Exec x) {
    retries.onWrite(e, buckets); // a storage attempt, though it took no effect
  }

  @Override
  public void onExecution(Exec x) {
    countRequest(x);
    complete(x, checkDuplicate(x));
  }

  /** The key a request counts for in the hot keys: its own key, else the key it confirmed; 0 if none. */
  static long requestKey(Exec x) {
    return x.request.keyHash != 0 ? x.request.keyHash : x.confirmKeyHash;
  }

  void countRequest(Exec x) {
    keys.countRequest(x, x.request.keyHash != 0 ? keys.key(x.request) : keys.ledger(x));
  }

  /** Duplicate confirmation and client retry flags of a completed execution. */
  int checkDuplicate(Exec x) {
    long retriesBefore = duplicates.clientRetries();
    int flags = 0;
    if (duplicates.onExecution(x)) {
      flags |= DUPLICATE;
      buckets.add(TimeBuckets.DUPLICATES, x.request.endWall, 1);
    }
    if (duplicates.clientRetries() > retriesBefore) {
      flags |= CLIENT_RETRY;
    }
    return flags;
  }

  void complete(Exec x, int flags) {
    Ev r = x.request;
    traffic.onExecution(x, buckets);
    if (!r.has(TraceSchema.F_UNTIMED)) {
      boolean warm = inWarmup(x);
      long qd = queue.onExecution(x, buckets, warm);
      if (warm) {
        latency.recordWarmup(r.durationNanos(), qd);
      } else {
        latency.record(r.durationNanos(), qd);
      }
      buckets.max(TimeBuckets.LAT_MAX, r.endWall, r.durationNanos() + Math.max(0, qd));
    } // else (schema v2) the agent did not take the entry time: no latency, no queue delay to measure
    boolean writeBacked = r.result == Result.SUCCESS && x.writeSuccess > 0;
    if (writeBacked) {
      keys.confirm(x, (flags & DUPLICATE) != 0);
      buckets.add(TimeBuckets.CONFIRMATIONS, r.endWall, 1);
    } else if (x.answers != null) { // set only on a SUCCESS answer (DuplicateDetector)
      keys.confirm(x.answers, false); // the replay confirms the committed write its id's 5xx left unconfirmed
      buckets.add(TimeBuckets.CONFIRMATIONS, r.endWall, 1);
    }
    retries.onExecution(x, (flags & CLIENT_RETRY) != 0, buckets);
    storage.onExecution(x);
  }

  /** The wall time the last queue's warm-up ends; {@code Long.MIN_VALUE} without a warm-up. */
  public long warmupEnd() {
    long end = Long.MIN_VALUE;
    for (long u : warmupUntil) {
      end = Math.max(end, u);
    }
    return end;
  }

  private boolean inWarmup(Exec x) {
    if (warmupNanos <= 0) {
      return false;
    }
    int src = x.request.source;
    if (src >= warmupUntil.length) {
      int n = warmupUntil.length;
      warmupUntil = java.util.Arrays.copyOf(warmupUntil, src + 1);
      java.util.Arrays.fill(warmupUntil, n, src + 1, Long.MIN_VALUE);
    }
    if (warmupUntil[src] == Long.MIN_VALUE) {
      long start = warmupStart.applyAsLong(src);
      if (start == Long.MIN_VALUE) {
        return false; // no row of its queue read yet: cannot happen for a completed request
      }
      warmupUntil[src] = start + warmupNanos;
    }
    long at = x.arrivalWall != Long.MIN_VALUE ? x.arrivalWall : x.request.startWall;
    return at < warmupUntil[src];
  }

  @Override
  public void merge(DetectorSet o) {
    buckets.merge(o.buckets);
    traffic.merge(o.traffic);
    keys.merge(o.keys);
    lost.merge(o.lost);
    duplicates.merge(o.duplicates);
    retries.merge(o.retries);
    queue.merge(o.queue);
    storage.merge(o.storage);
    latency.merge(o.latency);
    if (o.warmupUntil.length > warmupUntil.length) {
      int n = warmupUntil.length;
      warmupUntil = java.util.Arrays.copyOf(warmupUntil, o.warmupUntil.length);
      java.util.Arrays.fill(warmupUntil, n, warmupUntil.length, Long.MIN_VALUE);
    }
    for (int i = 0; i < o.warmupUntil.length; i++) {
      warmupUntil[i] = Math.max(warmupUntil[i], o.warmupUntil[i]); // every partition computes the same per queue
    }
  }
}
