package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.read.RowSink;
import io.racetrace.analyzer.util.LongObjMap;
import io.racetrace.trace.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns rows, in merged time order, into request executions and read-modify-write windows, and
 * hands them to an {@link ExecutionSink} (the detectors). It judges nothing: what a read observed
 * is the sink's answer, kept in the window until the write that closes it.
 *
 * <p>Correlation: a request's storage rows run on the request's thread and end before its REQUEST
 * row (which encloses them), so each thread of each queue has at most one open execution: rows
 * with the same request id accumulate in it until that id's REQUEST row closes it. A READ opens a
 * window that the WRITE of the same key and attempt closes (a failed read opens none). An ARRIVAL
 * row is paired with its request by id ({@link Arrivals}). Services that hand a request's storage
 * calls to another thread are not correlated (their windows still pair if read and write share a
 * thread); see the README's limits.
 *
 * <p>Partitioning: correlation is by thread, so one correlator sees every row; what it hands on is
 * one key's (reads, writes) or one execution's, so the sink may spread keys over several detector
 * sets and merge them at the end.
 *
 * <p>Memory: one open execution per thread and one pending arrival per queued request. Executions
 * whose REQUEST row has not come within the request horizon are closed as incomplete, so a lost
 * REQUEST row cannot pin memory. Concurrency: single-threaded, like the reader that drives it.
 */
public final class Correlator implements RowSink {
  static final int SWEEP_EVERY = 1 << 16;
  /** A row lasting longer than a day (or ending before it starts) has a broken clock or field. */
  static final long MAX_PLAUSIBLE_DURATION = 86_400_000_000_000L;

  private final ExecutionSink sink;
  private final RowSink tap;
  private final long requestHorizon;
  private final List<LongObjMap<ThreadCtx>> threads = new ArrayList<>();
  private final Arrivals arrivals;
  private final Stats stats = new Stats();

  /**
   * @param tap receives every row first (e.g. the rows.csv writer), or {@code null}
   */
  public Correlator(int sources, long requestHorizonNanos, ExecutionSink sink, RowSink tap) {
    this.sink = sink;
    this.tap = tap;
    this.requestHorizon = requestHorizonNanos;
    for (int i = 0; i < sources; i++) {
      threads.add(new LongObjMap<>(64));
    }
    arrivals = new Arrivals(sources);
  }

  /** What correlation saw of the input: row counts, time span, and what it could not correlate. */
  public static final class Stats {
    public long rows;
    public long arrivals;
    public long reads;
    public long writes;
    public long minStartWall = Long.MAX_VALUE;
    public long maxEndWall = Long.MIN_VALUE;
    public long implausibleTimes;
    public long executionsWithoutRequestRow;
    public long openExecutionsAtEnd;
    /** ARRIVAL rows whose request never started within the request horizon (shed, or its row lost). */
    public long arrivalsWithoutRequest;
    /**
     * Writes outside any request that came next on the thread of a request which had read their
     * key, written nothing, and answered SUCCESS: the write of that request, made after its probed
     * method returned (an ORM flush at the commit of a {@code @Transactional} proxy around it). The
     * probe file cuts such requests from their writes, so their lost updates cannot be judged.
     */
    public long writesAfterTheirRequest;
  }

  public Stats stats() {
    return stats;
  }

  @Override
  public void accept(Ev e) {
    if (tap != null) {
      tap.accept(e);
    }
    stats.rows++;
    long d = e.endNanos - e.startNanos;
    if (d < 0 || d > MAX_PLAUSIBLE_DURATION) {
      stats.implausibleTimes++;
    }
    if (e.startWall < stats.minStartWall) {
      stats.minStartWall = e.startWall;
    }
    if (e.endWall > stats.maxEndWall) {
      stats.maxEndWall = e.endWall;
    }
    switch (e.kind) {
      case ARRIVAL -> {
        stats.arrivals++;
        arrivals.add(e);
        sink.onArrival(e);
      }
      case READ -> onRead(e);
      case WRITE -> onWrite(e);
      case REQUEST -> onRequest(e);
      default -> { }
    }
    if ((stats.rows & (SWEEP_EVERY - 1)) == 0) {
      sweep(e.endWall - requestHorizon);
    }
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

  /** The open execution of the thread for {@code e}'s request id, opening one if needed. */
  private Exec exec(ThreadCtx c, Ev e) {
    Exec x = c.exec;
    if (x == null || x.reqHash != e.reqHash) {
      if (x != null) {
        stats.executionsWithoutRequestRow++; // the thread moved on to another request: its REQUEST row is missing
      }
      x = new Exec(e);
      c.exec = x;
    }
    x.touch(e);
    return x;
  }

  private static boolean fault(Ev e) {
    return e.result == Result.TIMEOUT || e.result == Result.ERROR;
  }

  private static void countFault(Ev e, Exec x) {
    if (x != null && fault(e)) {
      if (e.result == Result.TIMEOUT) {
        x.storageTimeouts++;
      } else {
        x.storageErrors++;
      }
    }
  }

  private void onRead(Ev e) {
    stats.reads++;
    ThreadCtx c = ctx(e);
    c.answeredReadKey = 0; // the thread moved on from its last request
    Exec x = e.hasRequest() ? exec(c, e) : null;
    if (x != null) {
      x.reads++;
    }
    Observed seen = sink.onRead(e, x);
    countFault(e, x);
    if (x != null && seen != null && !fault(e)) {
      x.addRead(seen);
    }
  }

  private void onWrite(Ev e) {
    stats.writes++;
    ThreadCtx c = ctx(e);
    if (!e.hasRequest() && c.answeredReadKey != 0 && c.answeredReadKey == e.keyHash) {
      stats.writesAfterTheirRequest++;
    }
    c.answeredReadKey = 0;
    Exec x = e.hasRequest() ? exec(c, e) : null;
    Observed read = null;
    if (x != null) {
      x.writes++;
      read = x.takeRead(e);
    }
    countFault(e, x);
    sink.onWrite(e, x, read);
    if (x != null) {
      if (e.result == Result.CONFLICT) {
        x.writeConflicts++;
      } else if (e.result == Result.SUCCESS || e.result == Result.NONE) {
        x.writeSuccess++;
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
        stats.executionsWithoutRequestRow++;
        c.exec = null;
      }
      x = new Exec(e);
    }
    x.touch(e);
    x.request = e.copy();
    x.arrivalWall = arrivals.take(e);
    // A confirmed request that read a key and wrote nothing: a write of that key next on this
    // thread, outside any request, is likely its own (see Stats#writesAfterTheirRequest).
    c.answeredReadKey = e.result == Result.SUCCESS && x.writes == 0 && x.nPending > 0
        ? x.pendingReads[x.nPending - 1].read.keyHash : 0;
    sink.onExecution(x);
    x.pendingReads = null; // the execution may live on as evidence; its open windows may not
  }

  private void sweep(long before) {
    for (LongObjMap<ThreadCtx> m : threads) {
      for (ThreadCtx c : m.values()) {
        if (c.exec != null && c.exec.lastWall < before) {
          stats.executionsWithoutRequestRow++;
          c.exec = null;
        }
      }
    }
    arrivals.evict(before);
    stats.arrivalsWithoutRequest = arrivals.unmatched;
  }

  /** Call once after the last row. */
  public void finish() {
    for (LongObjMap<ThreadCtx> m : threads) {
      for (ThreadCtx c : m.values()) {
        if (c.exec != null) {
          stats.openExecutionsAtEnd++;
          c.exec = null;
        }
      }
    }
    arrivals.evict(Long.MAX_VALUE);
    stats.arrivalsWithoutRequest = arrivals.unmatched;
  }

  /** Per-thread correlation state. */
  static final class ThreadCtx {
    Exec exec;
    /** Key hash of the read of the thread's last request, if it answered SUCCESS without a write; else 0. */
    long answeredReadKey;
  }
}
