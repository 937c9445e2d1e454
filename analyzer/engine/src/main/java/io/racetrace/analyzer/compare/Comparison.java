package io.racetrace.analyzer.compare;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import io.racetrace.analyzer.model.Results.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The retest table of the validation plan step 7: each release metric for the baseline and for the capture
 * after mitigation, with the criterion and the retest's status, plus warnings when the two
 * captures did not run the same workload ("otherwise a lower hot-key collision rate could make the
 * fix look better than it is").
 */
public final class Comparison {
  /** Relative difference above which two workload figures count as different. */
  static final double TOLERANCE = 0.10;

  private Comparison() {}

  /** Version of the compare.json layout (analyzer/compare.schema.json); bump on any incompatible change. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * One metric of the retest table. {@code baseline} and {@code retest} are numbers in the unit the
   * {@code id} names ({@code null}: not measured), for tools; the {@code *Display} strings are the
   * same figures with their unit, as compare.md shows them.
   */
  public record Row(String id, String metric, Double baseline, String baselineDisplay, Double retest,
      String retestDisplay, String criterion, String retestStatus) {}

  /**
   * The two runs' offered loads (either {@code null} without the load generator's ground truth) and
   * whether their schedules were the same ({@code null} unless both are known).
   */
  public record Offered(OfferedLoad baseline, OfferedLoad retest, Boolean sameSchedule) {}

  public record Result(int schemaVersion, List<Row> rows, List<String> workloadWarnings, Offered offeredWorkload,
      String baselineDecision, String retestDecision, String retestDecisionText, int exitCode) {}

  public static Result compare(AnalysisResult base, AnalysisResult retest) {
    return compare(base, retest, null, null);
  }

  /**
   * With the offered loads known ({@link OfferedLoad}), the same schedule is verified from them:
   * the captures' request counts and rates then differ only by what each service managed, and are
   * not warned about. A different schedule, or a generator that fell behind its own, is.
   */
  public static Result compare(AnalysisResult base, AnalysisResult retest, OfferedLoad baseOffered,
      OfferedLoad retestOffered) {
    List<Row> rows = new ArrayList<>();
    for (ReleaseRow r : retest.release().table()) {
      ReleaseRow b = base.release().table().stream().filter(x -> x.id().equals(r.id())).findFirst().orElse(null);
      rows.add(new Row(r.id(), r.metric(), b == null ? null : b.measured(), b == null ? "not measured" : b.display(),
          r.measured(), r.display(), r.criterion(), r.status()));
    }
    long bl = base.detectors().lostUpdates().lostUpdates();
    long rl = retest.detectors().lostUpdates().lostUpdates();
    rows.add(new Row("lostUpdates", "lost updates (stale writes + CAS violations)", (double) bl, Long.toString(bl),
        (double) rl, Long.toString(rl), "0 (part of the invariant)", rl == 0 ? "pass" : "fail"));
    Double bc = base.detectors().retries().conflictRate();
    Double rc = retest.detectors().retries().conflictRate();
    rows.add(new Row("conditionalWriteConflictRate", "conflict rate of conditional writes", bc, pct(bc), rc, pct(rc),
        "reported", "info"));
    if (invalidLoad(baseOffered, retestOffered)) {
      // A generator behind its schedule sent bursts it had planned as a steady stream, or fewer
      // requests than planned: what the service's latency was under the planned load is unknown.
      rows.replaceAll(x -> LATENCY_ROWS.contains(x.id()) ? new Row(x.id(), x.metric(), x.baseline(),
          x.baselineDisplay(), x.retest(), x.retestDisplay(), x.criterion(), INVALID_LOAD) : x);
    }
    Boolean same = baseOffered == null || retestOffered == null ? null : baseOffered.sameScheduleAs(retestOffered);
    List<String> warnings = new ArrayList<>(offeredWarnings(baseOffered, retestOffered, same));
    warnings.addAll(workloadWarnings(base.workload(), retest.workload(), Boolean.TRUE.equals(same)));
    double bs = base.sampling() == null ? 100 : base.sampling().keySpacePercent();
    double rs = retest.sampling() == null ? 100 : retest.sampling().keySpacePercent();
    if (bs != rs) {
      warnings.add(String.format(Locale.ROOT, "the agent sampled keys: the baseline's analysis covers %s of the key"
          + " space, the retest's %s, so their counts are over different keys", pctOf(bs), pctOf(rs)));
    }
    return new Result(SCHEMA_VERSION, rows, warnings, new Offered(baseOffered, retestOffered, same), base.release().decision(),
        retest.release().decision(), retest.release().decisionText(), retest.release().exitCode());
  }

  /** The status of a latency row when either run's load was invalid: not judged. */
  public static final String INVALID_LOAD = "invalid load";
  static final List<String> LATENCY_ROWS = List.of("p99LatencyMs", "maxQueueDelayMs");

  /** Either run's generator fell behind its schedule beyond {@link OfferedLoad#MAX_SEND_LAG_MILLIS}. */
  public static boolean invalidLoad(OfferedLoad b, OfferedLoad r) {
    return (b != null && b.fellBehind()) || (r != null && r.fellBehind());
  }

  static List<String> offeredWarnings(OfferedLoad b, OfferedLoad r, Boolean same) {
    List<String> w = new ArrayList<>();
    if (Boolean.FALSE.equals(same)) {
      w.add("the load generator offered different workloads: " + describe(b) + " in the baseline, " + describe(r)
          + " in the retest");
    }
    OfferedLoad[] runs = {b, r};
    String[] names = {"baseline", "retest"};
    for (int i = 0; i < runs.length; i++) {
      if (runs[i] != null && runs[i].fellBehind()) {
        w.add(String.format(Locale.ROOT, "invalid load in the %s: the load generator fell behind its schedule by up to"
            + " %.1f ms (more than %.0f ms), so it did not offer the schedule it planned; latency and queue delay"
            + " are not compared", names[i],
            runs[i].maxSendLagMillis(), OfferedLoad.MAX_SEND_LAG_MILLIS));
      }
    }
    return w;
  }

  private static String describe(OfferedLoad o) {
    return String.format(Locale.ROOT, "%s (seed %s, %,d planned requests, schedule %s)", o.profile(), o.seed(),
        o.planned(), shortDigest(o.scheduleDigest()));
  }

  private static String shortDigest(String d) {
    int colon = d.indexOf(':');
    return d.substring(0, Math.min(d.length(), colon + 13));
  }

  /**
   * @param sameSchedule the offered schedules were verified the same: the captured request counts,
   *     duration, rates and window collision rate then show only how each service answered, and are
   *     not compared
   */
  public static List<String> workloadWarnings(Workload b, Workload r, boolean sameSchedule) {
    List<String> w = new ArrayList<>();
    if (!sameSchedule) {
      differs(w, "requests", b.requests(), r.requests());
    }
    differs(w, "keys touched", b.keys(), r.keys());
    if (!sameSchedule) {
      differs(w, "duration (s)", b.durationSeconds(), r.durationSeconds());
      if (b.requestsPerSecond() != null && r.requestsPerSecond() != null) {
        differs(w, "request rate (req/s)", b.requestsPerSecond(), r.requestsPerSecond());
      }
      if (b.peakRequestsPerSecond() != null && r.peakRequestsPerSecond() != null) {
        differs(w, "peak request rate (req/s)", b.peakRequestsPerSecond(), r.peakRequestsPerSecond());
      }
    }
    if (b.topKey() != null && r.topKey() != null && !b.topKey().equals(r.topKey())) {
      w.add("the hottest key differs: " + b.topKey() + " in the baseline, " + r.topKey() + " in the retest");
    }
    if (b.topKeyShare() != null && r.topKeyShare() != null && Math.abs(b.topKeyShare() - r.topKeyShare()) > 0.05) {
      w.add(String.format(Locale.ROOT, "the hottest key's traffic share differs: %.1f%% vs %.1f%%",
          b.topKeyShare() * 100, r.topKeyShare() * 100));
    }
    // With the schedule verified the same, the contention offered was the same too: how often the
    // windows then collided is each service's outcome (how long it held them), like its rates.
    if (!sameSchedule && b.windowOverlapRate() > 0
        && r.windowOverlapRate() < b.windowOverlapRate() * (1 - 2 * TOLERANCE)) {
      w.add(String.format(Locale.ROOT, "the retest's read-modify-write windows collided less on the same key (%.1f%% vs"
          + " %.1f%% in the baseline): a lower hot-key collision rate could make the fix look better than it is",
          r.windowOverlapRate() * 100, b.windowOverlapRate() * 100));
    }
    if (b.initialStateTotal() != null && r.initialStateTotal() != null
        && !b.initialStateTotal().equals(r.initialStateTotal())) {
      w.add("the initial state differs: the keys started with " + b.initialStateTotal() + " units in the baseline and "
          + r.initialStateTotal() + " in the retest");
    }
    return w;
  }

  private static void differs(List<String> w, String what, double b, double r) {
    double m = Math.max(Math.abs(b), Math.abs(r));
    if (m > 0 && Math.abs(b - r) / m > TOLERANCE) {
      w.add(String.format(Locale.ROOT, "%s differ by more than %.0f%%: %s in the baseline, %s in the retest", what,
          TOLERANCE * 100, fmt(b), fmt(r)));
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String pctOf(double percent) {
    String s = String.format(Locale.ROOT, "%.3f", percent);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "") + "%";
  }

  private static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", v * 100);
  }

  /** The table as Markdown, warnings first. */
  public static String markdown(Result c) {
    StringBuilder sb = new StringBuilder("# racetrace retest comparison\n\n");
    Offered o = c.offeredWorkload();
    if (o != null && Boolean.TRUE.equals(o.sameSchedule())) {
      sb.append("Both runs were offered the same workload, verified from the load generator's ground truth: ")
          .append(describe(o.baseline())).append(".\n\n");
    }
    boolean verified = o != null && Boolean.TRUE.equals(o.sameSchedule());
    if (c.workloadWarnings().isEmpty() && verified) {
      sb.append("The captures agree on keys and key popularity (within ")
          .append((int) (TOLERANCE * 100)).append("%); their request rates and window collision rates show how each"
              + " service answered the same offered load.\n\n");
    } else if (c.workloadWarnings().isEmpty()) {
      sb.append("The two captures ran comparable workloads (requests, keys, rates, key popularity and collision rate"
          + " within ").append((int) (TOLERANCE * 100)).append("%).\n\n");
    } else {
      sb.append("> **WARNING: the two captures did not run the same workload.** The comparison may be misleading:\n");
      for (String w : c.workloadWarnings()) {
        sb.append(">\n> - ").append(w).append('\n');
      }
      sb.append('\n');
    }
    sb.append("| Metric | Baseline | After mitigation | Criterion | Retest status |\n|---|---|---|---|---|\n");
    for (Row r : c.rows()) {
      sb.append("| ").append(r.metric()).append(" | ").append(r.baselineDisplay()).append(" | ").append(r.retestDisplay())
          .append(" | ").append(r.criterion()).append(" | ").append(r.retestStatus()).append(" |\n");
    }
    sb.append("\nBaseline decision: ").append(c.baselineDecision()).append("; retest decision: **")
        .append(c.retestDecision()).append("**. ").append(c.retestDecisionText()).append('\n');
    return sb.toString();
  }
}
