package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;

/**
 * One execution of a request on one thread: the storage rows of the request seen so far, until
 * its REQUEST row (which ends last, since it encloses them) completes it. A client retry or a
 * duplicate delivery of the same request id is a separate execution.
 *
 * <p>Memory: the unpaired reads (usually one, each with the state it observed) and a few counters;
 * dropped once complete.
 */
public final class Exec {
  public final long reqHash;
  public final String requestId;
  public final int source;
  public final long threadId;
  public long firstWall = Long.MAX_VALUE;
  public long lastWall = Long.MIN_VALUE;

  Observed[] pendingReads = new Observed[2];
  int nPending;

  public int reads;
  public int writes;
  public int writeSuccess;
  /**
   * What the request's last successful write changed, in the service's units: the stock of the
   * state its window's read observed minus the value it wrote (a withdrawal of 3 is 3, a deposit is
   * negative); for a write without a read, the stock it replaced minus the value it wrote. Valid
   * when {@link #effectKnown}: not when the rows show no plain number for either side.
   */
  public long effectUnits;
  public boolean effectKnown;
  public int writeConflicts;
  /** Writes of this execution whose transaction rolled back (with transaction probes): they took no effect. */
  public int writesRolledBack;
  public int storageTimeouts;
  public int storageErrors;
  /** Stale writes of this execution, counted by the lost-update detector. */
  public int staleWrites;
  public int maxAttempt;
  /** Key hash of the last successful write: the key the confirmation is for; 0 if none. */
  public long confirmKeyHash;
  /** End time of the request's ARRIVAL row (it entered the worker queue), or {@code Long.MIN_VALUE}. */
  public long arrivalWall = Long.MIN_VALUE;
  /** The last successful write (copy), as evidence. */
  public Ev successWrite;
  /** Its committed writes wait for an earlier transaction's row ({@link Correlator}); null if not. */
  Batch deferred;
  /** Completed after later executions: its committed writes waited for an earlier transaction's row. */
  public boolean completedLate;
  /**
   * A SUCCESS answer with no write of its own that replays an earlier execution of the same id
   * whose write committed but which was answered otherwise (a restart's 503): that execution, whose
   * write this answer confirms. Set by the duplicate check; {@code null} otherwise.
   */
  public Exec answers;
  /** The REQUEST row (copy) once complete; {@code null} for an execution cut off. */
  public Ev request;

  public Exec(Ev first) {
    this.reqHash = first.reqHash;
    this.requestId = first.requestId;
    this.source = first.source;
    this.threadId = first.threadId;
  }

  void touch(Ev e) {
    if (e.startWall < firstWall) {
      firstWall = e.startWall;
    }
    if (e.endWall > lastWall) {
      lastWall = e.endWall;
    }
    if (e.attempt > maxAttempt) {
      maxAttempt = e.attempt;
    }
  }

  /** The key whose ledger this execution's confirmation enters: its write's, or the answered execution's. */
  public long ledgerKeyHash() {
    return answers != null ? answers.confirmKeyHash : confirmKeyHash;
  }

  public boolean hasStorage() {
    return reads + writes > 0;
  }

  void addRead(Observed read) {
    // A later read of the same key and attempt replaces the earlier one.
    for (int i = 0; i < nPending; i++) {
      Ev p = pendingReads[i].read;
      if (p.keyHash == read.read.keyHash && p.attempt == read.read.attempt) {
        pendingReads[i] = read;
        return;
      }
    }
    if (nPending == pendingReads.length) {
      if (nPending >= 16) { // a request reading many keys it never writes: keep the newest
        System.arraycopy(pendingReads, 1, pendingReads, 0, nPending - 1);
        nPending--;
      } else {
        pendingReads = java.util.Arrays.copyOf(pendingReads, nPending * 2);
      }
    }
    pendingReads[nPending++] = read;
  }

  /** Removes and returns the read that opened the window {@code write} closes, or {@code null}. */
  Observed takeRead(Ev write) {
    for (int i = nPending - 1; i >= 0; i--) {
      Observed p = pendingReads[i];
      if (p.read.keyHash == write.keyHash && p.read.attempt == write.attempt) {
        System.arraycopy(pendingReads, i + 1, pendingReads, i, nPending - i - 1);
        pendingReads[--nPending] = null;
        return p;
      }
    }
    return null;
  }

  /** Total read-modify-write attempts: the request's own count, else the highest attempt seen. */
  public int attempts() {
    int a = request != null ? Math.max(request.attempt, maxAttempt) : maxAttempt;
    return hasStorage() ? Math.max(a, 1) : a;
  }
}
