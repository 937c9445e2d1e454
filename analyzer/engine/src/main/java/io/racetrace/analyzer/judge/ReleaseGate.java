package io.racetrace.analyzer.judge;

import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Limit;
import io.racetrace.analyzer.model.Limit.Status;
import io.racetrace.analyzer.model.Results.Completeness;
import io.racetrace.analyzer.model.Results.Detectors;
import io.racetrace.analyzer.model.Results.LatencyResult;
import io.racetrace.analyzer.model.Results.Release;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import io.racetrace.analyzer.model.Results.Sampling;
import io.racetrace.analyzer.model.Results.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The release table of the validation plan steps 7 and 8: each metric against its criterion, pass /
 * conditional / fail, and the recommended decision.
 *
 * <p>Decision: {@code recapture} if the capture is known to miss rows (no verdict is possible on
 * it); {@code do_not_release} if any criterion fails or could not be measured; {@code canary} if
 * some pass only conditionally (or the capture's completeness is unknown); {@code release} if all
 * pass. Exit code 0 for release and canary, 1 otherwise.
 *
 * <p>A capture in which the agent sampled keys (its overhead budget made it lower the sampling
 * level) is exact for the keys it kept, but says nothing about the others: its strongest decision
 * is {@code canary}, through a {@code keyCoverage} row that passes only conditionally and says how
 * much of the key space the analysis covers.
 */
public final class ReleaseGate {
  private ReleaseGate() {}

  /** Fewer requests than this and a p99 is not judged, nor queueing diagnosed: one sample in 100 is the p99. */
  public static final int MIN_SAMPLE = 100;

  /**
   * @param sampling the capture's key sampling, or {@code null} if the agent never sampled
   * @param probedRoles the roles of the probe files of every queue ("arrival", "request"...), or
   *     {@code null} when a queue carries no probe records (then no criterion is "not applicable")
   */
  public static Release judge(Criteria c, Completeness comp, Sampling sampling, Summary s, Detectors d,
      LatencyResult lat, java.util.Set<String> probedRoles) {
    List<ReleaseRow> rows = new ArrayList<>();
    Status cs = switch (comp.verdict()) {
      case "valid" -> Status.PASS;
      case "unknown" -> Status.CONDITIONAL;
      default -> Status.FAIL;
    };
    rows.add(new ReleaseRow("completeness", "capture completeness", comp.capturedShare(),
        comp.verdict() + ", " + pct(comp.capturedShare() * 100, 3) + " of rows captured", "valid", cs.label(),
        comp.reasons().isEmpty() ? "no drops, no sequence gaps, footer present" : String.join("; ", first(comp.reasons(), 3))));
    boolean partial = sampling != null && !sampling.coversAllKeys();
    String coverage = partial ? "the agent sampled keys to stay within its overhead budget, so the analysis covers "
        + KeySampling.pct(sampling.keySpacePercent()) + " of keys (keys captured to the end and analyzed: "
        + sampling.keysAnalyzed() + "; keys with a partial history, excluded: " + sampling.keysExcluded() + ")" : null;
    if (partial) {
      rows.add(new ReleaseRow("keyCoverage", "key coverage (agent sampling)", sampling.keySpacePercent(),
          KeySampling.pct(sampling.keySpacePercent()) + " of the key space", "100% (no sampling)",
          Status.CONDITIONAL.label(), sampling.statement()));
    }
    boolean anyRequests = s.requests() > 0;
    Long mismatch = d.invariant().mismatch();
    rows.add(row("invariantMismatch", "invariant mismatch", c.invariantMismatch(), mismatch == null ? null : mismatch.doubleValue(),
        mismatch == null ? "not measured" : Long.toString(mismatch), "",
        mismatch == null ? "no key had a readable value or version"
            : d.invariant().keysChecked() + " keys checked: " + d.invariant().lostUpdates() + " lost, "
                + d.invariant().overApplied() + " over-applied"));
    long after = d.lostUpdates().writesAfterTheirRequest();
    if (after > 0) {
      // The probe file cuts requests from their writes: no lost update of theirs can be judged,
      // and "no anomaly" would be a false pass. Not measured: blocks.
      rows.add(new ReleaseRow("requestCorrelation", "writes captured inside their request", (double) after,
          after + " writes after their request", "0", Status.UNKNOWN.label(),
          after + " writes outside any request came next on the thread of a request that had read their key,"
              + " written nothing and answered success: the request probe returns before the write (an ORM flush"
              + " at the commit of a @Transactional proxy). Put the request probe on the method that encloses the"
              + " transaction (its caller), or probe the write where the request makes it"));
    }
    long undecided = d.lostUpdates().undecidedWrites();
    if (undecided > 0) {
      // Not a criterion of the plan: what the capture could not judge. A clean result cannot be
      // claimed for those writes, so at best a canary.
      rows.add(new ReleaseRow("undecidedWrites", "writes the capture cannot judge", (double) undecided,
          Long.toString(undecided), "0 (conditional above)", Status.CONDITIONAL.label(),
          undecided + " successful writes followed a read that did not show which state it saw (neither version nor"
              + " value, or only what two states shared); capture the missing field to judge them"));
    }
    boolean allWarmup = lat.count() == 0 && lat.warmup() != null && lat.warmup().requests() > 0;
    if (allWarmup) {
      // A warm-up as long as the capture leaves nothing to judge latency on: said, not "not measured".
      rows.add(notApplicable("p99LatencyMs", "p99 latency", c.p99LatencyMs(), "every request ("
          + lat.warmup().requests() + ") arrived in the " + num(lat.warmup().seconds()) + " s warm-up"));
    } else if (lat.count() > 0 && lat.count() < MIN_SAMPLE) {
      // A p99 of fewer than 100 latencies is their maximum, or an interpolation between the two
      // slowest: no verdict on it, shown as such (a functional phase of 40 requests).
      Status st = c.p99LatencyMs().turnedOff() ? Status.OFF : Status.NOT_APPLICABLE;
      rows.add(new ReleaseRow("p99LatencyMs", "p99 latency", lat.p99Ms(), "too few requests (" + lat.count() + ")",
          c.p99LatencyMs().describe("ms"), st.label(), lat.count() + " requests, fewer than " + MIN_SAMPLE
              + ": too few for a p99 (measured " + ms(lat.p99Ms()) + " ms, not judged)"));
    } else {
      rows.add(row("p99LatencyMs", "p99 latency", c.p99LatencyMs(), lat.p99Ms(), ms(lat.p99Ms()), "ms",
          lat.count() + " requests, " + lat.measuredAs() + warmupNote(lat.warmup(), false)));
    }
    Double r5 = anyRequests ? 100.0 * s.errors5xx() / s.requests() : null;
    rows.add(row("errorRate5xxPercent", "5xx error rate", c.errorRate5xxPercent(), r5, r5 == null ? "not measured" : fmt(r5, 3), "%",
        s.errors5xx() + " of " + s.requests() + " requests answered TIMEOUT/ERROR"));
    Double rc = anyRequests ? 100.0 * s.conflictResponses() / s.requests() : null;
    String conflicts = s.conflictResponses() + " requests answered conflict";
    if (anyRequests && s.requests() < MIN_SAMPLE) {
      rows.add(tooFew("conflictResponsesPercent", "conflict responses", c.conflictResponsesPercent(), "%",
          rc, fmt(rc, 2) + "%", s.requests(), conflicts));
    } else {
      rows.add(row("conflictResponsesPercent", "conflict responses", c.conflictResponsesPercent(), rc,
          rc == null ? "not measured" : fmt(rc, 2), "%", conflicts));
    }
    long withoutId = d.duplicates().requestsWithoutId();
    if (anyRequests && withoutId == s.requests()) {
      // No request carries an id: duplicates by id are not defined for this probe file. Never "0".
      rows.add(notApplicable("duplicateConfirmations", "duplicate confirmations", c.duplicateConfirmations(),
          "not measurable: the request probe has no requestId (no request of " + s.requests() + " carried one)"));
    } else {
      Double dup = anyRequests ? (double) d.duplicates().duplicateConfirmations() : null;
      rows.add(row("duplicateConfirmations", "duplicate confirmations", c.duplicateConfirmations(), dup,
          dup == null ? "not measured" : Long.toString(d.duplicates().duplicateConfirmations()), "",
          d.duplicates().requestIdsConfirmedMoreThanOnce() + " request ids; " + d.duplicates().idempotentReplays()
              + " idempotent replays (not duplicates)"
              + (withoutId > 0 ? "; " + withoutId + " requests had no id (absent at run time) and were not checked" : "")));
    }
    if (allWarmup && d.queueing().requestsWithArrival() == 0) {
      rows.add(notApplicable("maxQueueDelayMs", "maximum queue delay", c.maxQueueDelayMs(), "every request ("
          + lat.warmup().requests() + ") arrived in the " + num(lat.warmup().seconds()) + " s warm-up"));
    } else if (probedRoles != null && !probedRoles.contains("arrival")) {
      rows.add(notApplicable("maxQueueDelayMs", "maximum queue delay", c.maxQueueDelayMs(),
          "the probe file has no arrival probe, so queue delay is not measured (a synchronous service has none)"));
    } else {
      rows.add(row("maxQueueDelayMs", "maximum queue delay", c.maxQueueDelayMs(), d.queueing().maxMs(),
          ms(d.queueing().maxMs()), "ms", d.queueing().requestsWithArrival() == 0 ? "no ARRIVAL rows matched a request"
              : d.queueing().requestsOverTarget() + " requests waited longer than " + num(d.queueing().targetMs()) + " ms"
                  + warmupNote(lat.warmup(), true)));
    }
    Double amp = d.retries().amplification();
    String attempts = d.retries().storageAttempts() + " attempts for " + d.retries().requestsWithStorage() + " requests"
        + (d.retries().screenedAmplification() == null ? ""
            : String.format(Locale.ROOT, "; 1/(1-p) screen %.3f at conflict rate p = %.1f%%",
                d.retries().screenedAmplification(), d.retries().conflictRate() * 100));
    if (amp != null && d.retries().requestsWithStorage() < MIN_SAMPLE) {
      // A ratio over a forced two-client race says what the race forces (one retry per pair),
      // not what the load's envelope is: shown, not judged, as a p99 of few requests.
      rows.add(tooFew("retryAmplification", "retry amplification (storage attempts / request)", c.retryAmplification(),
          "", amp, String.format(Locale.ROOT, "%.3f", amp), d.retries().requestsWithStorage(), attempts));
    } else {
      rows.add(row("retryAmplification", "retry amplification (storage attempts / request)", c.retryAmplification(),
          amp, amp == null ? "not measured" : String.format(Locale.ROOT, "%.3f", amp), "", attempts));
    }
    Double att = anyRequests ? (double) d.retries().maxAttempts() : null;
    rows.add(row("attemptsPerRequest", "attempts per request (max)", c.attemptsPerRequest(), att,
        att == null ? "not measured" : Integer.toString(d.retries().maxAttempts()), "",
        d.retries().requestsOverLimit() + " requests above the limit"));

    List<String> blockers = new ArrayList<>();
    boolean conditional = false;
    for (ReleaseRow r : rows) {
      if (r.status().equals(Status.FAIL.label()) || r.status().equals(Status.UNKNOWN.label())) {
        blockers.add(r.metric() + ": " + r.display() + " (criterion " + r.criterion() + ")");
      } else if (r.status().equals(Status.CONDITIONAL.label())) {
        conditional = true;
      }
    }
    String decision;
    String text;
    if (comp.verdict().equals("invalid")) {
      decision = "recapture";
      text = "No release verdict: the agent lost rows (" + pct(comp.capturedShare() * 100, 3)
          + " captured), so the anomaly counts are lower bounds and a clean result cannot be claimed. Recapture"
          + " with a larger ring or less sampling.";
    } else if (!blockers.isEmpty()) {
      decision = "do_not_release";
      text = "Do not release: " + String.join("; ", blockers) + ".";
    } else if (conditional) {
      decision = "canary";
      text = "Release to canary only" + (partial ? ": " + coverage : "") + ". Expand the rollout if invariant"
          + " mismatch stays zero, p99 latency stays below "
          + num(c.p99LatencyMs().bound()) + " ms, the conflict rate stays within the tested envelope and duplicate"
          + " confirmations stay zero.";
    } else {
      decision = "release";
      text = "Release with a staged rollout and the monitoring triggers below: every criterion passes.";
    }
    int exit = decision.equals("release") || decision.equals("canary") ? 0 : 1;
    return new Release(decision, text, exit, rows, blockers, c);
  }

  /** A rate or ratio over fewer than {@link #MIN_SAMPLE} requests: shown with its figure, not judged. */
  private static ReleaseRow tooFew(String id, String metric, Limit limit, String unit, Double measured, String shown,
      long n, String evidence) {
    Status st = limit.turnedOff() ? Status.OFF : Status.NOT_APPLICABLE;
    return new ReleaseRow(id, metric, measured, "too few requests (" + n + ")", limit.describe(unit), st.label(),
        evidence + "; " + n + " requests, fewer than " + MIN_SAMPLE + ": too few for a verdict on the rate (measured "
            + shown + ", not judged)");
  }

  /** What the warm-up kept out of a latency or queue-delay verdict; empty without one. */
  static String warmupNote(io.racetrace.analyzer.model.Results.Warmup w, boolean queue) {
    if (w == null) {
      return "";
    }
    Double max = queue ? w.maxQueueDelayMs() : w.maxLatencyMs();
    return "; not judged: " + w.requests() + " requests of the " + num(w.seconds()) + " s warm-up after the capture"
        + " began" + (max == null ? "" : " (their " + (queue ? "largest queue delay " : "slowest ") + ms(max) + " ms)");
  }

  /** A criterion whose metric needs a probe role the probe file does not have: shown, not judged. */
  private static ReleaseRow notApplicable(String id, String metric, Limit limit, String why) {
    Status st = limit.turnedOff() ? Status.OFF : Status.NOT_APPLICABLE; // turned off wins: the user said so
    return new ReleaseRow(id, metric, null, "not applicable", limit.describe(""), st.label(), why);
  }

  private static ReleaseRow row(String id, String metric, Limit limit, Double value, String display, String unit,
      String evidence) {
    Status st = limit.turnedOff() ? Status.OFF : value == null ? Status.UNKNOWN : limit.evaluate(value);
    return new ReleaseRow(id, metric, value, display + (value == null || unit.isEmpty() ? "" : unit.equals("%") ? "%" : " " + unit),
        limit.describe(unit), st.label(), evidence);
  }

  static String ms(Double v) {
    return v == null ? "not measured" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
  }

  static String pct(double v, int digits) {
    return fmt(v, digits) + "%";
  }

  /** {@code v} with at most {@code digits} decimals, trailing zeros dropped. */
  static String fmt(double v, int digits) {
    String s = String.format(Locale.ROOT, "%." + digits + "f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  static String num(double v) {
    if (Double.isInfinite(v)) {
      return "any"; // the bound of a criterion that is off
    }
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static List<String> first(List<String> l, int n) {
    return l.size() <= n ? l : l.subList(0, n);
  }
}
