package io.racetrace.analyzer.report;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.detect.DuplicateDetector;
import io.racetrace.analyzer.detect.LostUpdateDetector;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The detectors' evidence in the report's words: timeline examples with their lanes, steps, title
 * and explanation. The detectors keep rows and executions; what they mean to a reader is said here.
 */
public final class Examples {
  private Examples() {}

  public static List<TimelineExample> lostUpdates(List<LostUpdateDetector.Evidence> evidence, Steps steps) {
    return evidence.stream().map(c -> lostUpdate(c, steps)).toList();
  }

  public static List<TimelineExample> duplicates(List<DuplicateDetector.Pair> evidence, Steps steps) {
    return evidence.stream().map(p -> duplicate(p.first(), p.second(), steps)).toList();
  }

  public static List<TimelineExample> retriesOverLimit(List<Exec> evidence, int limit, Steps steps) {
    return evidence.stream().map(x -> retryOverLimit(x, limit, steps)).toList();
  }

  /**
   * A lost update (the overwritten write A, the stale write B, their reads and requests) as the
   * Client A / Client B timeline of the validation plan step 2. The lanes are roles, as in the
   * plan's table: Client A is the request whose confirmed update was erased, Client B the one whose
   * stale write erased it (whichever of them read first).
   */
  static TimelineExample lostUpdate(LostUpdateDetector.Evidence c, Steps steps) {
    String a = c.aWrite() != null ? c.aWrite().requestId : null;
    String b = c.bWrite().requestId;
    List<String> lanes = new ArrayList<>();
    lanes.add(a != null ? a : "(earlier write)");
    lanes.add(b);
    if (a != null && a.equals(b)) {
      lanes.set(1, b + " (again)");
    }
    Ev aReq = c.aExec() != null ? c.aExec().request : null;
    Ev bReq = c.bExec() != null ? c.bExec().request : null;
    List<TimelineExample.Step> s = steps.of(lanes, c.aRead(), c.bRead(), c.aWrite(), c.bWrite(), aReq, bReq);
    if (a != null && a.equals(b)) { // same id twice: lanes by execution instead
      s = new ArrayList<>(s);
      for (int i = 0; i < s.size(); i++) {
        TimelineExample.Step st = s.get(i);
        Ev src = pick(st.seq(), c.bRead(), c.bWrite(), bReq);
        if (src != null) {
          s.set(i, steps.step(src, 1));
        }
      }
    }
    String title;
    String explanation;
    Ev br = c.bRead();
    Ev bw = c.bWrite();
    if (c.kind().equals("cas_violation")) {
      title = "Conditional write succeeded on a version already consumed, key " + c.key().key;
      explanation = c.versionConsumed()
          ? "Two conditional writes both succeeded expecting v" + bw.expectedVersion
              + ": the store's compare-and-set did not hold, so one update was lost."
          : "A conditional write expecting v" + bw.expectedVersion + " succeeded although the state its read"
              + " observed had been replaced: the store's compare-and-set did not hold, so one update was lost.";
    } else {
      long readV = br.has(TraceSchema.F_READ_VERSION) ? br.readVersion : br.value;
      String what = br.has(TraceSchema.F_READ_VERSION) ? "v" + readV : "I=" + readV;
      title = "Lost update on key " + c.key().key;
      String first = a != null ? a : "an earlier write";
      explanation = "Both requests read " + what + " and both writes succeeded: Client B's write (" + b
          + ") overwrote Client A's (" + first + ") without seeing it, so A's confirmed update was erased.";
      if (c.aRead() == null || !sameState(c.aRead(), br)) {
        explanation = "Client B (" + b + ") read " + what + ", but by the time it wrote, Client A's write ("
            + first + ") had changed the key: B's write erased that update.";
      }
      if (c.erasedUnits() != null && bw.has(TraceSchema.F_VALUE)) {
        long n = br.value;
        long m = n - c.erasedUnits();
        explanation += " Its write of I=" + bw.value + " over a current I=" + m + " erased " + c.erasedUnits()
            + (c.erasedUnits() == 1 ? " decrement" : " decrements") + " (n - m = " + n + " - " + m + ").";
      } else {
        explanation += " It erased " + c.erased() + (c.erased() == 1 ? " version transition." : " version transitions.");
      }
    }
    return new TimelineExample(c.kind(), c.key().key, title, explanation, lanes, s);
  }

  private static boolean sameState(Ev x, Ev y) {
    if (x.has(TraceSchema.F_READ_VERSION) && y.has(TraceSchema.F_READ_VERSION)) {
      return x.readVersion == y.readVersion;
    }
    return x.has(TraceSchema.F_VALUE) && y.has(TraceSchema.F_VALUE) && x.value == y.value;
  }

  private static Ev pick(long seq, Ev... rows) {
    for (Ev e : rows) {
      if (e != null && e.seq == seq) {
        return e;
      }
    }
    return null;
  }
  /** A duplicate confirmation: both confirmations of one request id, each with its write. */
  static TimelineExample duplicate(Exec first, Exec second, Steps steps) {
    String id = second.requestId;
    List<String> lanes = List.of(id + " (1st)", id + " (2nd)");
    List<TimelineExample.Step> s = new ArrayList<>();
    if (first != null) {
      add(s, steps, first.successWrite, 0);
      add(s, steps, first.request, 0);
    }
    add(s, steps, second.successWrite, 1);
    add(s, steps, second.request, 1);
    s.sort(java.util.Comparator.comparingDouble(TimelineExample.Step::tMs));
    String key = second.successWrite != null ? second.successWrite.key : null;
    String explanation = "Request id " + id + " was confirmed twice, each time with its own successful write"
        + (first == null ? " (the first confirmation is older than the evidence ring)" : "")
        + ": the duplicate delivery was processed again instead of being answered from the first outcome.";
    return new TimelineExample("duplicate_confirmation", key, "Duplicate confirmation of " + id, explanation, lanes, s);
  }

  /** A request that took more attempts than the validated limit. */
  static TimelineExample retryOverLimit(Exec e, int limit, Steps steps) {
    List<String> lanes = List.of(e.requestId);
    List<TimelineExample.Step> s = new ArrayList<>();
    add(s, steps, e.successWrite, 0);
    add(s, steps, e.request, 0);
    return new TimelineExample("retry_over_limit", e.successWrite != null ? e.successWrite.key : null,
        "Request " + e.requestId + " made " + e.attempts() + " attempts (limit " + limit + ")",
        e.writeConflicts + " conditional writes of this request failed their version check before it finished.",
        lanes, s);
  }

  private static void add(List<TimelineExample.Step> s, Steps steps, Ev e, int lane) {
    if (e != null) {
      s.add(steps.step(e, lane));
    }
  }
}
