package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.read.RowSink;
import io.racetrace.analyzer.util.LongObjMap;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the detectors with rows in merged time order and correlates rows into request
 * executions and read-modify-write windows.
 *
 * <p>Correlation: a request's storage rows run on the request's thread and end before its REQUEST
 * row (which encloses them), so each thread of each queue has at most one open execution: rows
 * with the same request id accumulate in it until that id's REQUEST row closes it. A READ opens a
 * window that the WRITE of the same key and attempt closes. Services that hand a request's storage
 * calls to another thread are not correlated (their windows still pair if read and write share a
 * thread); see the README's limits.
 *
 * <p>Memory: one open execution per thread, one {@link KeyState} per key, the detectors' own
 * bounded state. Executions whose REQUEST row has not come within the request horizon are closed
 * as incomplete, so a lost REQUEST row cannot pin memory.
 *
 * <p>Concurrency: single-threaded, like the reader that drives it.
 */
public final class Engine implements RowSink {
  static final int SWEEP_EVERY = 1 << 16;
  /** A row lasting longer than a day (or ending before it starts) has a broken clock or field. */
  static final long MAX_PLAUSIBLE_DURATION = 86_400_000_000_000L;

  private final long requestHorizon;
  private final RowSink tap;
  private final List<LongObjMap<ThreadCtx>> threads = new ArrayList<>();
  private final LongObjMap<KeyState> keys = new LongObjMap<>(1024);
  private final List<KeyState> keyList = new ArrayList<>();

  public final TimeBuckets buckets = new TimeBuckets();
  public final LostUpdateDetector lost = new LostUpdateDetector();
  public final DuplicateDetector duplicates;
  public final RetryDetector retries;
  public final QueueDetector queue;
  public final StorageFaultDetector storage = new StorageFaultDetector();
  public final LatencyStats latency;

  public long rows;
  public long arrivals;
  public long requests;
  public long confirmations;
  public long rejected;
  public long conflictResponses;
  public long errors5xx;
  public long reads;
  public long writes;
  public long minStartWall = Long.MAX_VALUE;
  public long maxEndWall = Long.MIN_VALUE;
  public long executionsWithoutRequestRow;
  public long openExecutionsAtEnd;
  public long implausibleTimes;
  /**
   * Writes outside any request that came next on the thread of a request which had read their key,
   * written nothing, and answered SUCCESS: the write of that request, made after its probed method
   * returned (an ORM flush at the commit of a {@code @Transactional} proxy around it). The probe file
   * cuts such requests from their writes, so their lost updates cannot be judged.
   */
  public long writesAfterTheirRequest;

  /**
   * @param tap receives every row first (e.g. the rows.csv writer), or {@code null}
   */
  public Engine(int sources, long requestHorizonNanos, long dedupHorizonNanos, int dedupMaxIds, int attemptLimit,
      long queueTargetNanos, Double expectedIntervalMs, RowSink tap) {
    this.requestHorizon = requestHorizonNanos;
    this.tap = tap;
    for (int i = 0; i < sources; i++) {
      threads.add(new LongObjMap<>(64));
    }
    duplicates = new DuplicateDetector(dedupHorizonNanos, dedupMaxIds);
    retries = new RetryDetector(attemptLimit);
    queue = new QueueDetector(sources, queueTargetNanos);
    latency = new LatencyStats(expectedIntervalMs);
  }

  @Override
  public void accept(Ev e) {
    if (tap != null) {
      tap.accept(e);
    }
    rows++;
    long d = e.endNanos - e.startNanos;
    if (d < 0 || d > MAX_PLAUSIBLE_DURATION) {
      implausibleTimes++;
    }
    if (e.startWall < minStartWall) {
      minStartWall = e.startWall;
    }
    if (e.endWall > maxEndWall) {
      maxEndWall = e.endWall;
    }
    switch (e.kind) {
      case ARRIVAL -> {
        arrivals++;
        queue.onArrival(e, buckets);
      }
      case READ -> onRead(e);
      case WRITE -> onWrite(e);
      case REQUEST -> onRequest(e);
      default -> { }
    }
    if ((rows & (SWEEP_EVERY - 1)) == 0) {
      sweep(e.endWall - requestHorizon);
    }
  }

  private KeyState key(Ev e) {
    if (e.keyHash == 0) {
      return null;
    }
    KeyState k = keys.get(e.keyHash);
    if (k == null) {
      k = new KeyState(e.key);
      keys.put(e.keyHash, k);
      keyList.add(k);
    }
    return k;
  }

  /** The thread's next row is not a write its last request left behind: forget that request. */
  private void moveOn(Ev e) {
    ThreadCtx c = ctx(e);
    c.answeredReadKey = 0;
  }

  private ThreadCtx ctx(Ev e) {
    LongObjMap<ThreadCtx> m = threads.get(e.source);
    long t = e.threadId == 0 ? Long.MIN_VALUE : e.threadId;
    ThreadCtx c = m.get(t);
    if (c == null) {
      c = new ThreadCtx();
      m.put(t, c);
    }
    return c;
  }

  /** The open execution of {@code e}'s thread for {@code e}'s request id, opening one if needed. */
  private Exec exec(Ev e) {
    ThreadCtx c = ctx(e);
    Exec x = c.exec;
    if (x == null || x.reqHash != e.reqHash) {
      if (x != null) {
        executionsWithoutRequestRow++; // the thread moved on to another request: its REQUEST row is missing
      }
      x = new Exec(e);
      c.exec = x;
    }
    x.touch(e);
    return x;
  }

  private void onRead(Ev e) {
    reads++;
    moveOn(e);
    KeyState k = key(e);
    Observed seen = k != null ? lost.onRead(e, k) : null;
    Exec x = e.hasRequest() ? exec(e) : null;
    if (x != null) {
      x.reads++;
    }
    boolean fault = storage.onStorage(e, x);
    if (x != null && k != null && !fault) {
      x.addRead(seen);
    }
  }

  private void onWrite(Ev e) {
    writes++;
    if (!e.hasRequest()) {
      ThreadCtx c = ctx(e);
      if (c.answeredReadKey != 0 && c.answeredReadKey == e.keyHash) {
        writesAfterTheirRequest++;
      }
    }
    moveOn(e);
    KeyState k = key(e);
    Exec x = e.hasRequest() ? exec(e) : null;
    Observed read = null;
    if (x != null) {
      x.writes++;
      read = x.takeRead(e);
    }
    retries.onWrite(e, buckets);
    storage.onStorage(e, x);
    boolean success = e.result == Result.SUCCESS || e.result == Result.NONE;
    Long effect = x != null && success ? effect(read, e, k) : null; // before the write moves the key's state on
    if (k != null && lost.onWrite(e, read, x, k)) {
      buckets.add(TimeBuckets.LOST_UPDATES, e.endWall, 1);
    }
    if (x != null) {
      if (e.result == Result.CONFLICT) {
        x.writeConflicts++;
      } else if (success) {
        x.writeSuccess++;
        x.effectKnown = effect != null;
        x.effectUnits = effect != null ? effect : 0;
        x.confirmKey = k;
        x.successWrite = k != null && k.lastWrite != null && k.lastWrite.seq == e.seq ? k.lastWrite : e.copy();
      }
    }
  }

  private void onRequest(Ev e) {
    ThreadCtx c = ctx(e);
    Exec x = c.exec;
    if (x != null && x.reqHash == e.reqHash) {
      c.exec = null;
    } else {
      if (x != null) {
        executionsWithoutRequestRow++;
        c.exec = null;
      }
      x = new Exec(e);
    }
    x.touch(e);
    x.request = e.copy();
    // A confirmed request that read a key and wrote nothing: a write of that key next on this
    // thread, outside any request, is likely its own (see writesAfterTheirRequest).
    c.answeredReadKey = e.result == Result.SUCCESS && x.writes == 0 && x.nPending > 0
        ? x.pendingReads[x.nPending - 1].read.keyHash : 0;
    complete(x);
  }

  private void complete(Exec x) {
    Ev r = x.request;
    requests++;
    buckets.add(TimeBuckets.REQUESTS, r.endWall, 1);
    KeyState k = r.keyHash != 0 ? key(r) : x.confirmKey;
    if (k != null) {
      k.requests++;
    }
    switch (r.result) {
      case SUCCESS -> confirmations++;
      case REJECTED -> rejected++;
      case CONFLICT -> {
        conflictResponses++;
        buckets.add(TimeBuckets.CONFLICT_RESPONSES, r.endWall, 1);
        if (k != null) {
          k.conflictResponses++;
        }
      }
      case TIMEOUT, ERROR -> {
        errors5xx++;
        buckets.add(TimeBuckets.ERRORS_5XX, r.endWall, 1);
      }
      default -> { }
    }
    long arrival = queue.takeArrival(r);
    if (!r.has(TraceSchema.F_UNTIMED)) {
      long qd = queue.onRequest(r, arrival, buckets);
      latency.record(r.durationNanos(), qd);
      buckets.max(TimeBuckets.LAT_MAX, r.endWall, r.durationNanos() + Math.max(0, qd));
    } // else (schema v2) the agent did not take the entry time: no latency, no queue delay to measure
    boolean writeBacked = r.result == Result.SUCCESS && x.writeSuccess > 0;
    if (writeBacked && x.confirmKey != null) {
      x.confirmKey.confirmations++;
      if (x.effectKnown) {
        x.confirmKey.confirmedUnits += x.effectUnits;
      } else {
        x.confirmKey.effectsUnknown++; // the key's invariant cannot be reconciled in units
      }
    }
    if (writeBacked) {
      buckets.add(TimeBuckets.CONFIRMATIONS, r.endWall, 1);
    }
    long retriesBefore = duplicates.clientRetries();
    if (duplicates.onExecution(x, r, x.confirmKey)) {
      buckets.add(TimeBuckets.DUPLICATES, r.endWall, 1);
    }
    boolean clientRetry = duplicates.clientRetries() > retriesBefore;
    retries.onExecution(x, r, clientRetry, buckets);
    storage.onExecution(x, r);
    x.pendingReads = null; // the execution may live on as evidence; its open windows may not
  }

  /**
   * A successful request write's effect in the service's units (see {@link Exec#effectUnits}), or
   * {@code null} if the rows do not show it: the units it took where it carries an amount (its
   * probe's {@code amount:}); else the value-based effect, {@link #valueEffect}. A write with both
   * must agree; where it does not, the value is what the store holds and wins, and the
   * disagreement is counted on the key.
   */
  static Long effect(Observed read, Ev write, KeyState k) {
    Long byValue = valueEffect(read, write, k);
    if (!write.has(TraceSchema.F_AMOUNT)) {
      return byValue;
    }
    if (byValue != null && byValue != write.amount) {
      if (k != null) {
        k.amountDisagreements++;
      }
      return byValue;
    }
    return write.amount;
  }

  /**
   * The stock of the state its read observed (from the read, or from the write that made that
   * state) minus the value written; without a read, the stock it replaced minus the value written;
   * {@code null} where the rows do not show them as numbers.
   */
  static Long valueEffect(Observed read, Ev write, KeyState k) {
    if (!write.has(TraceSchema.F_VALUE) || write.has(TraceSchema.F_VALUE_HASHED)) {
      return null;
    }
    if (read != null) {
      return read.hasValue && !read.read.has(TraceSchema.F_VALUE_HASHED) ? read.value - write.value : null;
    }
    return k != null && k.hasCurValue && !k.hashedValues ? k.curValue - write.value : null;
  }

  private void sweep(long before) {
    for (LongObjMap<ThreadCtx> m : threads) {
      for (ThreadCtx c : m.values()) {
        if (c.exec != null && c.exec.lastWall < before) {
          executionsWithoutRequestRow++;
          c.exec = null;
        }
      }
    }
    queue.evict(before);
  }

  /** Call once after the last row. */
  public void finish() {
    for (LongObjMap<ThreadCtx> m : threads) {
      for (ThreadCtx c : m.values()) {
        if (c.exec != null) {
          openExecutionsAtEnd++;
          c.exec = null;
        }
      }
    }
  }

  public List<KeyState> keys() {
    return keyList;
  }

  /** Per-thread correlation state. */
  static final class ThreadCtx {
    Exec exec;
    /** Key hash of the read of the thread's last request, if it answered SUCCESS without a write; else 0. */
    long answeredReadKey;
  }
}
