package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.read.RowSink;
import io.racetrace.analyzer.util.LongObjMap;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
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
 * <p>Transactions: where the capture has {@code commit} or {@code rollback} probes, a thread's
 * writes are held from their row until its next COMMIT or ROLLBACK row ({@link Held}): a commit
 * hands them on, in their order, at the commit's place on the timeline (the order the store
 * applied them); a rollback, or a commit that threw, discards them, so a write that never took
 * effect moves no key's state and backs no confirmation. An execution whose REQUEST row comes
 * while its writes are held (a {@code @Transactional} proxy commits after the probed method
 * returned) completes after the boundary. A thread that moves on to another execution with writes
 * held and no boundary wrote them outside a transaction (autocommit): they are handed on then and
 * counted (writes outside requests on a thread never seen to end a transaction are not held at
 * all: a job in autocommit mode). Held writes whose
 * thread shows no boundary within the request horizon are discarded if the thread ends its
 * transactions explicitly (the capture cut that one off), else handed on. Without such probes,
 * writes are taken as applied when their row leaves, as before.
 *
 * <p>A commit is visible before its row: the COMMIT row leaves when {@code commit()} returns, after
 * the database made the transaction visible, so another thread's read may show a held write's
 * result first. Such a read (it shows the held write's written version or value, the write
 * changed what its own read showed, and the key's current state is not what the read shows) is
 * proof the transaction committed: the holder's writes are handed on at that read, before it
 * ({@link #commitSeenBy}). A read that the current state explains proves nothing and changes
 * nothing. For the same reason a commit's row can come after the row of a later transaction's
 * write of the same key, which the store let through only once the first transaction had ended
 * (a row lock): a successful write made while another thread held a successful write of its key
 * depends on that transaction ({@link Dep}), and if it commits while that one has shown no end, its
 * writes wait ({@link Batch}) until the first one's COMMIT or ROLLBACK row decides what came before
 * them. Nothing is guessed: the order is the stores', the outcome each transaction's own row.
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
  private final boolean transactions;
  /** Threads holding writes, in the order of their first held write (transaction probes only). */
  private final List<ThreadCtx> holding = new ArrayList<>();
  /** Committed batches waiting for an earlier transaction's end. */
  private final List<Batch> deferred = new ArrayList<>();

  /**
   * @param tap receives every row first (e.g. the rows.csv writer), or {@code null}
   */
  public Correlator(int sources, long requestHorizonNanos, ExecutionSink sink, RowSink tap) {
    this(sources, requestHorizonNanos, false, sink, tap);
  }

  /**
   * @param transactions the capture has commit or rollback probes: hold writes until their
   *     thread's transaction ends
   */
  public Correlator(int sources, long requestHorizonNanos, boolean transactions, ExecutionSink sink, RowSink tap) {
    this.transactions = transactions;
    stats.transactionsProbed = transactions;
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
    /** The capture has commit or rollback probes: writes were held until their transaction ended. */
    public boolean transactionsProbed;
    /** COMMIT rows that committed (returned normally). */
    public long commits;
    /** ROLLBACK rows, and COMMIT rows whose commit threw. */
    public long rollbacks;
    /** Writes handed on at a commit. */
    public long writesCommitted;
    /** Successful writes discarded: their transaction rolled back (or its commit threw). */
    public long writesRolledBack;
    /** Writes held when their thread moved on to another execution without a boundary: taken as autocommitted. */
    public long writesWithoutBoundary;
    /** Writes still held at the end of the capture, or when their thread went quiet for the request horizon: discarded. */
    public long writesNeverEnded;
    /** Transactions handed on before their COMMIT row because another thread's read showed their write. */
    public long commitsSeenBeforeTheirRow;
    /** Committed transactions whose writes waited for an earlier transaction of their keys to show its end. */
    public long commitsAfterAnOpenTransaction;
    /**
     * ROLLBACK rows of transactions already handed on because a read showed their write: the read
     * saw a state that did not commit (a dirty read), or the state before the write showed the same.
     */
    public long rollbacksAfterSeenCommit;
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
      case COMMIT, ROLLBACK -> onBoundary(e);
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
    if (c.nHeld > 0 && (x == null || x.reqHash != e.reqHash)) {
      release(c, true, 0); // the thread moved on without a boundary: its writes were autocommitted
    }
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

  /** A write (or a commit) with this result took effect: it returned normally and reported no failure. */
  static boolean applies(Result r) {
    return r == Result.SUCCESS || r == Result.NONE;
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
    e.showsHeldWrite = false; // rows are recycled
    if (!holding.isEmpty() || !deferred.isEmpty()) {
      commitSeenBy(e, c);
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
    if (transactions && (x != null || c.boundaries > 0)) {
      // A write outside requests on a thread never seen to end a transaction (a job in autocommit
      // mode) applies at once: holding it could delay it for as long as the thread stays quiet.
      if (c.nHeld == 0) {
        holding.add(c);
      }
      Held h = new Held(e.copy(), x, read);
      if (applies(e.result) && e.keyHash != 0) {
        for (ThreadCtx o : holding) {
          Held before = o == c ? null : o.lastSuccessfulHeld(e.keyHash);
          if (before != null) {
            c.depend(new Dep(o, before)); // the store let this write through once that transaction ended
          }
        }
      }
      c.hold(h);
      return;
    }
    if (!holding.isEmpty() && applies(e.result) && e.keyHash != 0) {
      // An autocommitted write the store let through once a held write's transaction ended.
      Dep open = null;
      List<Dep> deps = null;
      for (ThreadCtx o : holding) {
        Held before = o == c ? null : o.lastSuccessfulHeld(e.keyHash);
        if (before != null) {
          deps = deps == null ? new ArrayList<>(2) : deps;
          deps.add(new Dep(o, before));
          open = open == null ? deps.get(0) : open;
        }
      }
      if (open != null) {
        stats.commitsAfterAnOpenTransaction++;
        Batch b = new Batch(c, new Held[] {new Held(e.copy(), x, read)}, deps);
        deferred.add(b);
        open.holder().waitFor(b);
        return;
      }
    }
    applyWrite(e, x, read);
  }

  /**
   * Hands on the transaction of the other thread whose held write {@code read} shows, where what
   * is known of the key's current state does not explain the read: that transaction has
   * committed, its COMMIT row is still to come. The read shows the write if it shows the write's
   * written version or value ({@link Held#shownBy}), or, for a write that carries nothing the read
   * shows, the version the store's counter gives the state after the current one (then the
   * earliest such write is the one). Where nothing of the current state is known, a read equal to
   * the held write is taken as its: had that transaction not committed, the state before it showed
   * the same, and the two places judge alike (only a later ROLLBACK row could tell them apart).
   * A write that must wait for an earlier transaction's end, or that already waits in a batch, is
   * left where it is; the read is marked as showing a held write ({@link Ev#showsHeldWrite}), to be
   * placed when its own write comes.
   */
  private void commitSeenBy(Ev read, ThreadCtx reader) {
    if (read.keyHash == 0) {
      return;
    }
    for (Batch b : deferred) {
      Held w = b.lastOf(read.keyHash);
      if (w != null && w.shownBy(read) != Held.DIFFERS) {
        // A committed write waiting for an earlier transaction's end: a read after its commit
        // cannot see the state before it, whatever that state shares with it.
        read.showsHeldWrite = true;
        return;
      }
    }
    int seen = Integer.MIN_VALUE; // asked of the sink once, and only if some held write is of this key
    ThreadCtx hit = null;
    Held next = null;
    for (ThreadCtx h : holding) {
      Held w = h == reader ? null : h.lastSuccessfulHeld(read.keyHash);
      if (w == null) {
        continue;
      }
      if (seen == Integer.MIN_VALUE) {
        seen = sink.shownState(read);
        if (seen == ExecutionSink.SHOWS_CURRENT) {
          return;
        }
      }
      int m = w.shownBy(read);
      if (m == Held.SHOWN || m == Held.INCOMPARABLE && seen == ExecutionSink.SHOWS_NEXT
          && (next == null || w.write.seq < next.write.seq)) {
        hit = h;
        next = w;
        if (m == Held.SHOWN) {
          break;
        }
      }
    }
    if (hit != null) {
      if (hit.firstOpenDep() != null) {
        read.showsHeldWrite = true; // committed after a transaction whose end is still to come: the order waits for it
        return;
      }
      stats.commitsSeenBeforeTheirRow++;
      release(hit, false, read.startWall); // committed by the time this read began
      hit.seenCommitted = true;
      return;
    }
  }

  private void applyWrite(Ev e, Exec x, Observed read) {
    sink.onWrite(e, x, read);
    if (x != null) {
      if (e.result == Result.CONFLICT) {
        x.writeConflicts++;
      } else if (applies(e.result)) {
        x.writeSuccess++;
      }
    }
  }

  /** A COMMIT or ROLLBACK row: the thread's held writes apply or are discarded; executions waiting on them complete. */
  private void onBoundary(Ev e) {
    ThreadCtx c = ctx(e);
    c.boundaries++;
    boolean committed = e.kind == EventKind.COMMIT && applies(e.result);
    if (committed) {
      stats.commits++;
    } else {
      stats.rollbacks++;
      if (c.seenCommitted) {
        stats.rollbacksAfterSeenCommit++;
      }
    }
    c.seenCommitted = false;
    if (c.nHeld > 0) {
      Dep open = committed ? c.firstOpenDep() : null;
      if (open != null) {
        defer(c, open, e.endWall);
      } else if (committed) {
        release(c, false, e.endWall);
      } else {
        discard(c, false);
      }
    }
  }

  /**
   * The thread committed writes that the store let through after another transaction of their keys
   * ended, and that transaction's row has not come: they wait, as a batch, for it.
   */
  private void defer(ThreadCtx c, Dep open, long commitWall) {
    stats.commitsAfterAnOpenTransaction++;
    Batch b = new Batch(c, java.util.Arrays.copyOf(c.held, c.nHeld), c.deps);
    b.commitWall = commitWall;
    for (Held h : b.writes) {
      if (h.exec != null) {
        h.exec.deferred = b;
      }
    }
    b.waiting = c.waiting;
    java.util.Arrays.fill(c.held, 0, c.nHeld, null);
    c.nHeld = 0;
    c.deps = null;
    c.waiting = null;
    holding.remove(c);
    deferred.add(b);
    open.holder().waitFor(b);
  }

  /** Batches that waited for {@code c}'s transaction: applied in order, or passed on to the next open one they wait for. */
  private void runDeferred(ThreadCtx c) {
    List<Batch> after = c.after;
    if (after == null) {
      return;
    }
    c.after = null;
    for (Batch b : after) {
      Dep open = b.firstOpenDep();
      if (open != null) {
        open.holder().waitFor(b);
      } else {
        apply(b);
      }
    }
  }

  private void apply(Batch b) {
    deferred.remove(b);
    for (Held h : b.writes) {
      h.pending = false;
      h.write.committed = true;
      h.write.commitWall = Math.max(h.write.endWall, b.commitWall);
      applyWrite(h.write, h.exec, h.read);
      stats.writesCommitted++;
      if (h.exec != null && h.exec.deferred == b) {
        h.exec.deferred = null;
      }
    }
    if (b.waiting != null) {
      Exec w = b.waiting;
      b.waiting = null;
      w.completedLate = true;
      complete(b.owner, w, false);
    }
    runDeferred(b.owner); // batches that waited for these writes
  }

  /** Hands the thread's held writes on, in order, and completes the executions that waited for them. */
  /** @param commitWall when the writes' transaction committed; 0 without a boundary */
  private void release(ThreadCtx c, boolean withoutBoundary, long commitWall) {
    for (int i = 0; i < c.nHeld; i++) {
      Held h = c.held[i];
      c.held[i] = null;
      h.pending = false;
      h.write.committed = !withoutBoundary;
      h.write.commitWall = withoutBoundary ? 0 : Math.max(h.write.endWall, commitWall);
      applyWrite(h.write, h.exec, h.read);
      if (withoutBoundary) {
        stats.writesWithoutBoundary++;
      } else {
        stats.writesCommitted++;
      }
    }
    c.nHeld = 0;
    c.deps = null;
    holding.remove(c);
    completeWaiting(c);
    runDeferred(c);
  }

  /**
   * Drops the thread's held successful writes: they did not take effect. Failed ones (a conflict)
   * changed nothing either way and are handed on as they are.
   */
  private void discard(ThreadCtx c, boolean neverEnded) {
    for (int i = 0; i < c.nHeld; i++) {
      Held h = c.held[i];
      c.held[i] = null;
      h.pending = false;
      if (!applies(h.write.result)) {
        applyWrite(h.write, h.exec, h.read);
        continue;
      }
      if (h.exec != null) {
        h.exec.writesRolledBack++;
      }
      sink.onDiscardedWrite(h.write, h.exec);
      if (neverEnded) {
        stats.writesNeverEnded++;
      } else {
        stats.writesRolledBack++;
      }
    }
    c.nHeld = 0;
    c.deps = null;
    holding.remove(c);
    completeWaiting(c);
    runDeferred(c);
  }

  /**
   * Held writes whose thread showed no boundary within the request horizon, or by the end of the
   * capture: on a thread that ends its transactions, that one never ended in the capture (its
   * writes are discarded); on one never seen to, they were autocommitted.
   */
  private void endUnfinished(ThreadCtx c) {
    if (c.boundaries > 0) {
      discard(c, true);
    } else {
      release(c, true, 0);
    }
  }

  private void completeWaiting(ThreadCtx c) {
    Exec w = c.waiting;
    if (w != null) {
      c.waiting = null;
      complete(c, w, true);
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
    if (c.nHeld > 0 && c.held[c.nHeld - 1].exec == x) {
      if (c.waiting != null) {
        complete(c, c.waiting, true); // cannot happen on one thread; never lose an execution
      }
      c.waiting = x; // its transaction ends after the probed method returned: complete it then
      return;
    }
    if (x.deferred != null) {
      x.deferred.waiting = x; // its committed writes wait for an earlier transaction's row
      return;
    }
    complete(c, x, true);
  }

  /** @param onItsThread the thread is still at this execution (not completed later, from a batch) */
  private void complete(ThreadCtx c, Exec x, boolean onItsThread) {
    Ev e = x.request;
    // A confirmed request that read a key and wrote nothing: a write of that key next on this
    // thread, outside any request, is likely its own (see Stats#writesAfterTheirRequest).
    if (onItsThread) {
      c.answeredReadKey = e.result == Result.SUCCESS && x.writes == 0 && x.nPending > 0
          ? x.pendingReads[x.nPending - 1].read.keyHash : 0;
    }
    x.pendingReads = null; // the execution may live on as evidence; its open windows may not
    sink.onExecution(x); // from here on the execution is read-only on this thread (the sink may hand it to another)
  }

  private void sweep(long before) {
    for (LongObjMap<ThreadCtx> m : threads) {
      for (ThreadCtx c : m.values()) {
        if (c.nHeld > 0 && c.held[c.nHeld - 1].write.endWall < before) {
          endUnfinished(c);
        }
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
        if (c.nHeld > 0) {
          endUnfinished(c);
        }
        if (c.exec != null) {
          stats.openExecutionsAtEnd++;
          c.exec = null;
        }
      }
    }
    for (LongObjMap<ThreadCtx> m : threads) {
      for (ThreadCtx c : m.values()) {
        List<Batch> after = c.after;
        c.after = null;
        if (after != null) {
          after.forEach(this::apply); // every transaction has ended: nothing is left to wait for
        }
      }
    }
    arrivals.evict(Long.MAX_VALUE);
    stats.arrivalsWithoutRequest = arrivals.unmatched;
  }

  /** Per-thread correlation state. */
  static final class ThreadCtx {
    Exec exec;
    /** Writes since the thread's last transaction boundary, in order (only with transaction probes). */
    Held[] held;
    int nHeld;
    /** The execution whose REQUEST row came while its writes were held. */
    Exec waiting;
    /** COMMIT and ROLLBACK rows seen on the thread: it ends its transactions explicitly. */
    long boundaries;
    /** Its transaction was handed on because a read showed its write; its boundary row is still to come. */
    boolean seenCommitted;
    /** Earlier transactions the held writes had to wait for (null if none). */
    List<Dep> deps;
    /** Committed batches of other threads waiting for this thread's held writes to be decided. */
    List<Batch> after;

    void depend(Dep d) {
      if (deps == null) {
        deps = new ArrayList<>(2);
      }
      deps.add(d);
    }

    Dep firstOpenDep() {
      return Dep.firstOpen(deps);
    }

    void waitFor(Batch b) {
      if (after == null) {
        after = new ArrayList<>(2);
      }
      after.add(b);
    }

    /** The last held write of the key that took effect (so far), or null. */
    Held lastSuccessfulHeld(long keyHash) {
      for (int i = nHeld - 1; i >= 0; i--) {
        Held h = held[i];
        if (h.write.keyHash == keyHash && applies(h.write.result)) {
          return h;
        }
      }
      return null;
    }

    void hold(Held h) {
      if (held == null) {
        held = new Held[4];
      } else if (nHeld == held.length) {
        held = java.util.Arrays.copyOf(held, nHeld * 2);
      }
      held[nHeld++] = h;
    }

    /** Key hash of the read of the thread's last request, if it answered SUCCESS without a write; else 0. */
    long answeredReadKey;
  }
}
