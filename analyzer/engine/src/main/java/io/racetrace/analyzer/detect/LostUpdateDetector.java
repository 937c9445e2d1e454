package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.model.Results.LostUpdateResult;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lost updates: read-modify-write windows (READ then WRITE of one request, key and attempt) whose
 * successful write was based on a state that was no longer current.
 *
 * <p>Per key it follows the state the traced successful writes left (version and/or value), in
 * merged end-time order, and judges every successful write by the read that opened its window:
 * <ul>
 *   <li>unconditional write, versions known: stale if the version read is an older state than the
 *       key's current version (one a traced write already replaced); it erased {@code current -
 *       read} version transitions;
 *   <li>unconditional write, no version: stale if the value read is not the current value; a stale
 *       write of {@code n-1} over a current {@code m} erased {@code n-m} decrements. Erased amounts
 *       are signed: a stale write can also undo part of an earlier stale write, and the signed sum
 *       equals the invariant's mismatch when every confirmation took one unit;
 *   <li>conditional write (expected version set) that succeeded: fine unless another successful
 *       conditional write already used the same expected version - then the store's
 *       compare-and-set did not hold (a storage transaction problem). Judging CAS writes by the
 *       version chain rather than by time makes them immune to rows that exit out of order;
 *   <li>a failed conditional write (CONFLICT) is a conflict, never an anomaly.
 * </ul>
 * A stale write whose overwritten predecessor read the same version is the validation plan's interleaving
 * (A reads v, B reads v, A writes, B writes) and is counted in {@code sameVersionPairs}.
 *
 * <p>Ordering: relies on end-time order approximating commit order for unconditional writes. A
 * window that read a state no traced write has produced yet (its write's row left the JVM late) is
 * counted in {@code aheadWrites}, not as an anomaly, and when that late write arrives it is put
 * before the writes that read its result instead of being judged stale.
 *
 * <p>Memory: per key ({@link KeyState}); the evidence kept is the last successful write per key
 * and at most {@link #MAX_EXAMPLES} examples.
 */
public final class LostUpdateDetector {
  static final int MAX_EXAMPLES = 5;

  private final List<Candidate> examples = new ArrayList<>();
  private long staleWrites;
  private long sameVersionPairs;
  private long casViolations;
  private long erasedTransitions;
  private long erasedUnits;
  private long windows;
  private long overlappingWindows;
  private long unpairedWrites;
  private long aheadWrites;
  private long externalWrites;

  /** A read of {@code k}; sets the key's initial state if it is the first thing seen of it. */
  public void onRead(Ev r, KeyState k) {
    k.reads++;
    if (r.has(TraceSchema.F_VALUE_HASHED)) {
      k.hashedValues = true;
    }
    if (!k.seen) {
      k.seen = true;
      if (r.has(TraceSchema.F_VALUE)) {
        k.hasI0Value = k.hasCurValue = true;
        k.i0Value = k.curValue = r.value;
      }
      if (r.has(TraceSchema.F_READ_VERSION)) {
        k.hasI0Version = k.hasCurVersion = true;
        k.i0Version = k.curVersion = r.readVersion;
        k.rebase(r.readVersion);
        k.rememberState(r.readVersion);
      } else if (r.has(TraceSchema.F_VALUE)) {
        k.rememberState(r.value);
      }
    }
  }

  /**
   * A write of {@code k}; {@code read} opened its window ({@code null} if none was seen) and
   * {@code exec} is its request's execution ({@code null} for a write outside requests).
   *
   * @return true if the write was a lost update (stale or a CAS violation)
   */
  public boolean onWrite(Ev w, Ev read, Exec exec, KeyState k) {
    k.writes++;
    if (read != null) {
      windows++;
      k.windows++;
      if (read.startWall < k.lastWindowEnd) {
        overlappingWindows++;
        k.overlappingWindows++;
      }
      k.lastWindowEnd = Math.max(k.lastWindowEnd, w.endWall);
    }
    if (w.result == Result.CONFLICT) {
      k.writeConflicts++;
      return false;
    }
    if (w.result == Result.TIMEOUT || w.result == Result.ERROR) {
      k.storageFaults++;
      return false;
    }
    k.writeSuccess++;
    if (w.has(TraceSchema.F_VALUE_HASHED)) {
      k.hashedValues = true;
    }
    if (w.has(TraceSchema.F_VALUE) && !w.has(TraceSchema.F_VALUE_HASHED) && w.value < 0) {
      k.negativeValuesWritten++;
    }
    boolean lost = false;
    if (exec == null) {
      externalWrite(w, k);
    } else if (w.has(TraceSchema.F_EXPECTED_VERSION)) {
      if (!k.seen) {
        k.seen = true;
        k.hasI0Version = k.hasCurVersion = true;
        k.i0Version = k.curVersion = w.expectedVersion;
      }
      if (k.casSeen(w.expectedVersion)) {
        lost = true;
        casViolations++;
        k.casViolations++;
        erasedTransitions++;
        k.erasedTransitions++;
        offer(new Candidate("cas_violation", k, k.lastWriteRead, k.lastWrite, k.lastWriteExec, read, w.copy(), exec, 0,
            1, null));
      } else {
        k.casRemember(w.expectedVersion);
      }
    } else if (read == null) {
      unpairedWrites++;
      k.unpairedWrites++;
      if (!k.seen) {
        k.startsWithUnpairedWrite = true;
      }
    } else {
      int verdict = judgeUnconditional(w, read, exec, k);
      if (verdict == REORDERED) {
        return false;
      }
      lost = verdict == STALE;
    }
    k.seen = true;
    if (w.has(TraceSchema.F_WRITTEN_VERSION)) {
      k.hasCurVersion = true;
      k.curVersion = w.writtenVersion;
      k.rememberState(w.writtenVersion);
    } else if (w.has(TraceSchema.F_VALUE)) {
      k.rememberState(w.value);
    }
    if (w.has(TraceSchema.F_VALUE)) {
      k.hasCurValue = true;
      k.curValue = w.value;
    }
    k.lastWrite = w.copy();
    k.lastWriteRead = read;
    k.lastWriteExec = exec;
    return lost;
  }

  private static final int FINE = 0;
  private static final int STALE = 1;
  private static final int REORDERED = 2;

  private int judgeUnconditional(Ev w, Ev read, Exec exec, KeyState k) {
    boolean byVersion = read.has(TraceSchema.F_READ_VERSION) && k.hasCurVersion;
    boolean byValue = !byVersion && read.has(TraceSchema.F_VALUE) && k.hasCurValue;
    if (!byVersion && !byValue) {
      unpairedWrites++; // a window without version or value cannot be judged
      k.unpairedWrites++;
      return FINE;
    }
    long readState = byVersion ? read.readVersion : read.value;
    long cur = byVersion ? k.curVersion : k.curValue;
    boolean hasWritten = byVersion ? w.has(TraceSchema.F_WRITTEN_VERSION) : w.has(TraceSchema.F_VALUE);
    long written = byVersion ? w.writtenVersion : w.value;
    if (hasWritten && k.takeAhead(written)) {
      // Another window already read what this write wrote: this row left its JVM late, after rows
      // of writes that followed it. Its place in the chain is before them: leave the state alone.
      aheadWrites++;
      k.aheadWrites++;
      return REORDERED;
    }
    if (readState == cur) {
      return FINE;
    }
    // Versions grow between re-bases (a restock may set them back): a version older than the
    // current one and not older than the last re-base is a state a write already replaced, however
    // many writes ago (no window). Values can repeat, so a value counts as replaced only if it is
    // among the key's recent states; so does a version from before the last re-base.
    if (byVersion && hasWritten && written <= readState) {
      // A write that stores a version not above the one it read: these versions are not counters
      // (a hashed timestamp or ETag), so their order says nothing.
      k.versionsUnordered = true;
    }
    boolean replaced = k.recentlyWritten(readState) || (byVersion && !k.versionsUnordered && k.hasVersionBase
        && readState < cur && readState >= k.versionBase);
    if (!replaced) {
      // A state no traced write produced yet: its write's row is still to come.
      k.rememberAhead(readState);
      aheadWrites++;
      k.aheadWrites++;
      return FINE;
    }
    boolean numeric = read.has(TraceSchema.F_VALUE) && k.hasCurValue && !read.has(TraceSchema.F_VALUE_HASHED)
        && !k.hashedValues;
    long units = numeric ? read.value - k.curValue : 0;
    long transitions = byVersion ? cur - readState : numeric ? units : 1;
    staleWrites++;
    k.staleWrites++;
    erasedTransitions += transitions;
    k.erasedTransitions += transitions;
    erasedUnits += units;
    k.erasedUnits += units;
    Ev prevRead = k.lastWriteRead;
    boolean sameVersion = prevRead != null && (byVersion
        ? prevRead.has(TraceSchema.F_READ_VERSION) && prevRead.readVersion == read.readVersion
        : prevRead.has(TraceSchema.F_VALUE) && prevRead.value == read.value);
    if (sameVersion) {
      sameVersionPairs++;
      k.sameVersionPairs++;
    }
    if (exec != null) {
      exec.staleWrites++;
    }
    long span = w.endWall - Math.min(read.startWall, prevRead != null ? prevRead.startWall : read.startWall);
    offer(new Candidate("lost_update", k, prevRead, k.lastWrite, k.lastWriteExec, read, w.copy(), exec,
        (sameVersion ? 0 : 1L << 62) + Math.max(0, span), transitions, numeric ? units : null));
    return STALE;
  }

  private void externalWrite(Ev w, KeyState k) {
    externalWrites++;
    if (w.has(TraceSchema.F_WRITTEN_VERSION)) {
      // A reset or restock that sets the version re-bases the key's chain: versions consumed
      // before it may be consumed again after it without anything being lost.
      k.casCount = 0;
      k.rebase(w.writtenVersion);
    }
    if (!k.seen) {
      // A write outside requests before anything else sets the initial state (e.g. a restock).
      if (w.has(TraceSchema.F_VALUE)) {
        k.hasI0Value = true;
        k.i0Value = w.value;
      }
      if (w.has(TraceSchema.F_WRITTEN_VERSION)) {
        k.hasI0Version = true;
        k.i0Version = w.writtenVersion;
      }
      return;
    }
    if (w.has(TraceSchema.F_VALUE) && k.hasCurValue) {
      k.externalUnits += w.value - k.curValue;
    }
    k.externalTransitions++;
  }

  private void offer(Candidate c) {
    // One example per key: the best one; then the best over all keys.
    for (Candidate x : examples) {
      if (x.key() == c.key()) {
        if (c.score < x.score) {
          examples.remove(x);
          examples.add(c);
        }
        return;
      }
    }
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(c);
    } else {
      Candidate worst = examples.stream().max(Comparator.comparingLong(x -> x.score)).orElseThrow();
      if (c.score < worst.score) {
        examples.remove(worst);
        examples.add(c);
      }
    }
  }

  /**
   * Evidence of one lost update: the overwritten write A and the stale write B, with their reads,
   * and what B erased (version transitions; units {@code n - m}, or {@code null} without values).
   */
  record Candidate(String kind, KeyState key, Ev aRead, Ev aWrite, Exec aExec, Ev bRead, Ev bWrite, Exec bExec,
      long score, long erased, Long erasedUnits) {}

  public long staleWrites() {
    return staleWrites;
  }

  public long casViolations() {
    return casViolations;
  }

  public long windows() {
    return windows;
  }

  public long overlappingWindows() {
    return overlappingWindows;
  }

  public LostUpdateResult result(Steps steps) {
    List<Candidate> sorted = new ArrayList<>(examples);
    sorted.sort(Comparator.comparingLong(Candidate::score));
    List<TimelineExample> ex = new ArrayList<>();
    for (Candidate c : sorted) {
      ex.add(LostUpdateExamples.example(c, steps));
    }
    return new LostUpdateResult(staleWrites + casViolations, staleWrites, sameVersionPairs, casViolations,
        erasedTransitions, erasedUnits, windows, overlappingWindows,
        windows == 0 ? 0 : (double) overlappingWindows / windows, unpairedWrites, aheadWrites, externalWrites, ex);
  }


}
