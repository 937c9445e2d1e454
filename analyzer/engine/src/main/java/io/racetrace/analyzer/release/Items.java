package io.racetrace.analyzer.release;

import io.racetrace.analyzer.compare.OfferedLoad;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The eight items of the validation plan's release table (Step 8), each judged from the phases'
 * reports: pass, conditional, fail, or not tested (no phase measured it). Rollout is judged last,
 * from the decision the other seven and the retest's own gate lead to ({@link Decision}).
 */
final class Items {
  static final String PASS = "pass";
  static final String CONDITIONAL = "conditional";
  static final String FAIL = "fail";
  static final String NOT_TESTED = "not tested";

  private Items() {}

  static List<ReleasePackage.Item> judge(ReleaseInputs in, ReleasePackage.LatencyCheck latency,
      ReleasePackage.RetryScreen retry, List<String> workloadWarnings, Links links) {
    List<ReleasePackage.Item> items = new ArrayList<>();
    items.add(reproduction(in.reproduction(), links));
    items.add(rootCause(in.baseline(), links));
    items.add(mitigation(in.baseline(), in.retest(), workloadWarnings));
    items.add(invariant(in, links));
    items.add(latency(in.retest(), latency, links));
    items.add(retries(in.retest(), retry));
    items.add(observability(in.retest(), links));
    return items;
  }

  static ReleasePackage.Item reproduction(Phase rep, Links links) {
    String item = "race reproduction";
    if (rep == null) {
      return new ReleasePackage.Item("raceReproduction", item, NOT_TESTED,
          "no controlled reproduction phase: the race was not shown on demand", null);
    }
    Results.LostUpdateResult lu = rep.report().detectors().lostUpdates();
    TimelineExample two = lu.examples().stream().filter(e -> e.lanes().size() >= 2).findFirst().orElse(null);
    if (lu.lostUpdates() == 0) {
      return new ReleasePackage.Item("raceReproduction", item, FAIL, String.format(Locale.ROOT,
          "the controlled reproduction (%d requests) lost no update: the race was not reproduced",
          rep.report().summary().requests()), links.report(rep, "root-cause"));
    }
    if (two == null) {
      return new ReleasePackage.Item("raceReproduction", item, CONDITIONAL, lu.lostUpdates()
          + " lost updates in the controlled reproduction, but no two-client trace of one", links.report(rep, "root-cause"));
    }
    return new ReleasePackage.Item("raceReproduction", item, PASS, String.format(Locale.ROOT,
        "%d lost updates in %d requests of the controlled reproduction; the two-client trace on key %s: %s",
        lu.lostUpdates(), rep.report().summary().requests(), two.key(), two.explanation()),
        links.report(rep, "interleavings"));
  }

  static ReleasePackage.Item rootCause(Phase baseline, Links links) {
    Results.RootCause rc = baseline.report().rootCause();
    if (rc.findings().isEmpty()) {
      return new ReleasePackage.Item("rootCause", "root cause", NOT_TESTED,
          "the baseline showed no anomaly: no failure mechanism to establish", links.report(baseline, "root-cause"));
    }
    Results.CauseFinding f = rc.findings().get(0);
    return new ReleasePackage.Item("rootCause", "root cause", PASS, rc.headline() + ": " + f.metric() + " " + f.value()
        + " (" + f.explanation() + ")", links.report(baseline, "root-cause"));
  }

  static ReleasePackage.Item mitigation(Phase baseline, Phase retest, List<String> workloadWarnings) {
    Results.Detectors b = baseline.report().detectors();
    Results.Detectors r = retest.report().detectors();
    String item = "mitigation";
    String after = String.format(Locale.ROOT, "retest: %d lost updates, invariant mismatch %s, %d duplicate"
        + " confirmations", r.lostUpdates().lostUpdates(), str(r.invariant().mismatch()),
        r.duplicates().duplicateConfirmations());
    if (r.lostUpdates().lostUpdates() > 0 || r.duplicates().duplicateConfirmations() > 0
        || (r.invariant().mismatch() != null && r.invariant().mismatch() > 0)) {
      return new ReleasePackage.Item("mitigation", item, FAIL, "the mitigation does not hold: " + after, "#retest");
    }
    boolean anomaly = b.lostUpdates().lostUpdates() > 0 || b.duplicates().duplicateConfirmations() > 0
        || (b.invariant().mismatch() != null && b.invariant().mismatch() > 0);
    if (!anomaly) {
      return new ReleasePackage.Item("mitigation", item, NOT_TESTED,
          "the baseline lost no update and confirmed no request twice: nothing was shown to be mitigated", "#retest");
    }
    if (r.invariant().mismatch() == null) {
      return new ReleasePackage.Item("mitigation", item, NOT_TESTED,
          "the retest's invariant was not measured (" + after + ")", "#retest");
    }
    String ev = String.format(Locale.ROOT, "baseline: %d lost updates, invariant mismatch %s, %d duplicate"
        + " confirmations; %s", b.lostUpdates().lostUpdates(), str(b.invariant().mismatch()),
        b.duplicates().duplicateConfirmations(), after);
    if (!workloadWarnings.isEmpty()) {
      return new ReleasePackage.Item("mitigation", item, CONDITIONAL, ev + "; but the retest's workload differs: "
          + workloadWarnings.get(0), "#retest");
    }
    return new ReleasePackage.Item("mitigation", item, PASS, ev + ", same workload", "#retest");
  }

  static ReleasePackage.Item invariant(ReleaseInputs in, Links links) {
    Results.ReleaseRow row = row(in.retest().report(), "invariantMismatch");
    String status = status(row);
    List<String> others = new ArrayList<>();
    for (Phase p : in.phases()) {
      Long m = p.report().detectors().invariant().mismatch();
      if (p.build().equals(Phase.MITIGATED) && m != null && m != 0) {
        others.add(p.name() + " " + m);
      }
    }
    String ev = row == null ? "no invariant row in the retest report" : "retest load phase: " + row.display()
        + " (" + row.evidence() + ")";
    if (!others.isEmpty() && status.equals(PASS)) {
      status = CONDITIONAL;
      ev += "; but the capture's invariant does not hold in phase " + String.join(", ", others) + " of the mitigated build";
    }
    return new ReleasePackage.Item("invariantUnderLoad", "invariant under load", status, ev,
        links.report(in.retest(), "release-criteria"));
  }

  static ReleasePackage.Item latency(Phase retest, ReleasePackage.LatencyCheck check, Links links) {
    Results.ReleaseRow row = row(retest.report(), "p99LatencyMs");
    String status = status(row);
    String ev = row == null ? "no p99 row in the retest report" : "p99 " + row.display() + ", criterion "
        + row.criterion() + " (" + row.evidence() + ")";
    if (check.clientP99Ms() != null) {
      ev += "; clients saw p99 " + Screens.ms(check.clientP99Ms());
    }
    if (check.generatorLagMs() != null && check.generatorLagMs() > OfferedLoad.MAX_SEND_LAG_MILLIS) {
      return new ReleasePackage.Item("latencyTarget", "latency target", NOT_TESTED, String.format(Locale.ROOT,
          "invalid load: the load generator fell behind its schedule by up to %.1f ms (more than %.0f ms), so the"
              + " retest's latency was not measured under the planned load (%s); rerun the retest",
          check.generatorLagMs(), OfferedLoad.MAX_SEND_LAG_MILLIS, ev), links.report(retest, "release-criteria"));
    }
    if (check.disagreement() && status.equals(PASS)) {
      status = CONDITIONAL;
      ev += ": above the target, so the in-service pass is not what users saw";
    }
    return new ReleasePackage.Item("latencyTarget", "latency target", status, ev, links.report(retest, "release-criteria"));
  }

  static ReleasePackage.Item retries(Phase retest, ReleasePackage.RetryScreen screen) {
    Results.ReleaseRow amp = row(retest.report(), "retryAmplification");
    Results.ReleaseRow att = row(retest.report(), "attemptsPerRequest");
    String status = worst(status(amp), status(att));
    String ev = (amp == null ? "amplification not judged" : "amplification " + amp.display() + " (" + amp.criterion()
        + ": " + amp.status() + ")") + (att == null ? "" : ", attempts per request " + att.display() + " ("
        + att.criterion() + ")") + ". " + screen.statement();
    return new ReleasePackage.Item("retryAmplification", "retry amplification", status, ev, "#retry-screen");
  }

  /**
   * The plan's trace fields, each shown present by what the capture measured: request ids (no REQUEST
   * row without one), keys, versions (no write whose read showed neither version nor value), results,
   * attempts, queue delay (an arrival probe matched requests). A capture of unknown completeness or
   * sampled keys can only pass conditionally.
   */
  static ReleasePackage.Item observability(Phase retest, Links links) {
    AnalysisResult r = retest.report();
    Results.Detectors d = r.detectors();
    List<String> missing = new ArrayList<>();
    if (r.summary().requests() == 0 || d.duplicates().requestsWithoutId() > 0) {
      missing.add("request id");
    }
    if (r.summary().keys() == 0) {
      missing.add("key");
    }
    if (d.lostUpdates().windows() == 0 || d.lostUpdates().undecidedWrites() > 0) {
      missing.add("read/write version");
    }
    if (d.retries().maxAttempts() == 0) {
      missing.add("retry count");
    }
    boolean queue = d.queueing().requestsWithArrival() > 0;
    String verdict = r.completeness().verdict();
    String status = !missing.isEmpty() || verdict.equals("invalid") ? FAIL
        : !queue || verdict.equals("unknown") || (r.sampling() != null && !r.sampling().coversAllKeys()) ? CONDITIONAL
        : PASS;
    String ev = (missing.isEmpty() ? "request id, key, read and written version, result and retry count present"
        : "missing: " + String.join(", ", missing)) + (queue ? "; queue delay measured" : "; no queue delay (no arrival probe)")
        + "; capture completeness " + verdict + (r.sampling() != null && !r.sampling().coversAllKeys()
            ? "; " + r.sampling().statement() : "");
    return new ReleasePackage.Item("observability", "observability", status, ev, links.report(retest, "capture"));
  }

  /** The retest report's release table row of that criterion, or null. */
  static Results.ReleaseRow row(AnalysisResult r, String id) {
    return r.release().table().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
  }

  /** A release gate status as an item status; "not measured" blocks the gate, so the decision still fails. */
  static String status(Results.ReleaseRow row) {
    if (row == null) {
      return NOT_TESTED;
    }
    return switch (row.status()) {
      case "pass" -> PASS;
      case "conditional pass" -> CONDITIONAL;
      case "fail" -> FAIL;
      default -> NOT_TESTED; // not measured, not applicable, off
    };
  }

  static String worst(String a, String b) {
    return rank(a) >= rank(b) ? a : b;
  }

  /** fail over conditional and not tested, over pass. */
  static int rank(String status) {
    return switch (status) {
      case FAIL -> 3;
      case NOT_TESTED -> 2;
      case CONDITIONAL -> 1;
      default -> 0;
    };
  }

  private static String str(Long v) {
    return v == null ? "not measured" : Long.toString(v);
  }
}
