package io.racetrace.analyzer.judge;

import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results.CauseFinding;
import io.racetrace.analyzer.model.Results.Detectors;
import io.racetrace.analyzer.model.Results.LatencyResult;
import io.racetrace.analyzer.model.Results.RootCause;
import io.racetrace.analyzer.model.Results.Summary;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Root cause: which mechanism the measurements prove - a race, a retry duplication, a storage
 * transaction problem or queueing overload - each with the metric that proves it. Several can
 * hold at once; the primary one is the first in that order (correctness before latency).
 */
public final class Diagnosis {
  public static final String RACE = "race";
  public static final String RETRY_DUPLICATION = "retry_duplication";
  public static final String STORAGE = "storage_transaction";
  public static final String QUEUEING = "queueing_overload";
  public static final String NONE = "none";

  private Diagnosis() {}

  public static RootCause diagnose(Criteria c, Summary s, Detectors d, LatencyResult lat) {
    List<CauseFinding> f = new ArrayList<>();
    TimelineExample raceExample = null;
    TimelineExample casExample = null;
    for (TimelineExample e : d.lostUpdates().examples()) {
      if (e.kind().equals("lost_update") && raceExample == null) raceExample = e;
      if (e.kind().equals("cas_violation") && casExample == null) casExample = e;
    }
    var lu = d.lostUpdates();
    var inv = d.invariant();
    if (lu.staleWrites() > 0) {
      f.add(new CauseFinding(RACE, "stale successful writes (lost updates)",
          lu.staleWrites() + " stale writes erased " + lu.erasedUpdates() + " updates; invariant mismatch "
              + (inv.mismatch() == null ? "not measured" : inv.mismatch()),
          String.format(Locale.ROOT, "Read-modify-write without a conditional version check: %d of %d windows on the"
              + " same key overlapped (%.1f%%) and %d writes succeeded on a version that was no longer current"
              + " (%d of them on the very version another successful write had read).",
              lu.overlappingWindows(), lu.windows(), lu.windowOverlapRate() * 100, lu.staleWrites(),
              lu.sameVersionPairs()) + reconcile(lu)));
    }
    var dup = d.duplicates();
    if (dup.duplicateConfirmations() > 0) {
      f.add(new CauseFinding(RETRY_DUPLICATION, "duplicate confirmations",
          dup.duplicateConfirmations() + " extra confirmations of " + dup.requestIdsConfirmedMoreThanOnce()
              + " request ids",
          "A retried or redelivered request id was processed again - its own successful write and its own"
              + " confirmation - instead of being answered from the first outcome (no idempotency key)."));
    }
    if (lu.casViolations() > 0) {
      f.add(new CauseFinding(STORAGE, "conditional writes that succeeded on a consumed version",
          lu.casViolations() + " compare-and-set writes",
          "The store accepted two conditional writes expecting the same version: its compare-and-set is not atomic"
              + " (isolation level or a read-then-write emulation of CAS)."));
    }
    var sf = d.storageFaults();
    double fault5xx = s.requests() == 0 ? 0 : 100.0 * sf.fivexxWithStorageFault() / s.requests();
    if (sf.fivexxWithStorageFault() > 0 && fault5xx >= c.errorRate5xxPercent().bound()) {
      f.add(new CauseFinding(STORAGE, "5xx answers caused by storage faults",
          String.format(Locale.ROOT, "%d requests (%.3f%%); %d storage timeouts/errors", sf.fivexxWithStorageFault(),
              fault5xx, sf.faultsNotExplainedByConflicts()),
          "Storage timeouts and errors - not version conflicts - turned into server errors."));
    }
    if (inv.overApplied() > 0 && dup.duplicateConfirmations() == 0) {
      f.add(new CauseFinding(STORAGE, "state transitions without a confirmation",
          inv.overApplied() + " units/versions over-applied",
          "Writes committed for requests that were then answered with an error (or never answered): the write and"
              + " the confirmation are not one transaction."));
    }
    var q = d.queueing();
    if (q.requestsWithArrival() >= ReleaseGate.MIN_SAMPLE && q.maxMs() != null
        && q.maxMs() >= c.maxQueueDelayMs().bound() && q.queueDelayShare() != null
        && (q.queueDelayShare() >= 0.5 || (lat.p99Ms() != null && lat.p99Ms() >= c.p99LatencyMs().bound()))) {
      f.add(new CauseFinding(QUEUEING, "queue delay share of latency",
          String.format(Locale.ROOT, "%.0f%% of latency is queueing; max queue delay %.1f ms (target %s ms)",
              q.queueDelayShare() * 100, q.maxMs(), ReleaseGate.num(q.targetMs())),
          "Requests wait for a worker longer than they are served: offered load exceeds worker capacity in bursts"
              + " (" + q.bucketsOverTargetMs().size() + " time buckets over target)."));
    }
    String primary = f.isEmpty() ? NONE : f.get(0).cause();
    TimelineExample example = switch (primary) {
      case RACE -> raceExample;
      case RETRY_DUPLICATION -> dup.examples().isEmpty() ? null : dup.examples().get(0);
      case STORAGE -> casExample;
      default -> null;
    };
    String headline = switch (primary) {
      case RACE -> "Race: lost updates in unconditional read-modify-write";
      case RETRY_DUPLICATION -> "Retry duplication: request ids confirmed more than once";
      case STORAGE -> "Storage transaction problem";
      case QUEUEING -> "Queueing overload";
      default -> "No anomaly found";
    };
    return new RootCause(primary, headline, f, example);
  }

  /**
   * Why there are more lost updates than overlapping windows, as a sentence with a leading space;
   * empty when every lost update was in an overlapping window. A window is a read's entry to its
   * write's return, or its commit where transaction probes show it; a read that began after that
   * can still see the state before it (a commit not yet visible, a snapshot taken earlier).
   */
  public static String reconcile(io.racetrace.analyzer.model.Results.LostUpdateResult lu) {
    long outside = lu.lostUpdates() - lu.lostUpdatesInOverlappingWindows();
    if (lu.lostUpdates() == 0 || outside <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, " Of the %d lost updates, %d were in an overlapping window; the other %d read a"
        + " state older than a write whose window had already ended (it had returned, or committed where transaction"
        + " probes show commits): that write was not yet visible to them, or they read from an older snapshot, so"
        + " the overlap rate understates the race.", lu.lostUpdates(), lu.lostUpdatesInOverlappingWindows(), outside);
  }
}
