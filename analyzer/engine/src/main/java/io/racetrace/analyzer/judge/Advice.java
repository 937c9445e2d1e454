package io.racetrace.analyzer.judge;

import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results.CauseFinding;
import io.racetrace.analyzer.model.Results.Detectors;
import io.racetrace.analyzer.model.Results.HotKey;
import io.racetrace.analyzer.model.Results.LatencyResult;
import io.racetrace.analyzer.model.Results.Mitigation;
import io.racetrace.analyzer.model.Results.RootCause;
import io.racetrace.analyzer.model.Results.Summary;
import io.racetrace.analyzer.model.Results.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Mitigations for what was found, with their expected cost computed from the capture, and the
 * production monitoring triggers of the validation plan with thresholds taken from what was measured.
 */
public final class Advice {
  private Advice() {}

  public static List<Mitigation> mitigations(Criteria c, Summary s, Detectors d, RootCause rc) {
    List<Mitigation> out = new ArrayList<>();
    List<String> causes = rc.findings().stream().map(CauseFinding::cause).distinct().toList();
    var lu = d.lostUpdates();
    var rt = d.retries();
    if (causes.contains(Diagnosis.RACE)) {
      double p = lu.windowOverlapRate();
      Double extra = p < 1 ? (1 / (1 - p) - 1) * 100 : null;
      out.add(new Mitigation("lost update (race)",
          "Conditional write on version: write only if the stored version still equals the version read"
              + " (compare-and-set), else retry with a bounded, jittered policy or answer conflict.",
          extra == null ? "every window overlaps another: retries cannot converge; shard the key"
              : String.format(Locale.ROOT, "each of the %.1f%% overlapping windows becomes a conflict and a retry:"
                  + " about %.1f%% more storage attempts (1/(1-p) - 1 with p = %.3f), plus conflict answers for"
                  + " requests that exhaust %d attempts", p * 100, extra, p, c.maxAttempts()),
          extra));
    }
    if (causes.contains(Diagnosis.RETRY_DUPLICATION)) {
      long attempts = d.retries().storageAttempts();
      Double extra = attempts == 0 ? null : 100.0 * s.confirmations() / attempts;
      out.add(new Mitigation("duplicate confirmation (retry duplication)",
          "Idempotency key: record the request id with the state transition in the same transaction and answer a"
              + " repeated id from the recorded outcome.",
          String.format(Locale.ROOT, "one idempotency-record write per confirmation (%d in this capture, in the same"
              + " transaction) and one lookup per request; %d repeats would then be answered without a write",
              s.confirmations(), d.duplicates().duplicateConfirmations()),
          extra));
    }
    if (rt.requestsOverLimit() > 0 || !rt.stormBuckets().isEmpty()
        || rt.growth().stream().anyMatch(g -> g.growsFasterThanTraffic())) {
      double share = s.requests() == 0 ? 0 : 100.0 * rt.requestsOverLimit() / s.requests();
      out.add(new Mitigation("retry storm",
          "Bounded retry with exponential backoff and jitter (at most " + c.maxAttempts()
              + " attempts), then answer conflict; never retry without an idempotency key.",
          String.format(Locale.ROOT, "%d requests (%.2f%%) needed more than %d attempts and would get a conflict"
              + " answer instead; measured amplification %s", rt.requestsOverLimit(), share, c.maxAttempts(),
              rt.amplification() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", rt.amplification())),
          rt.extraStorageLoadPercent()));
    }
    var q = d.queueing();
    List<HotKey> hot = d.hotKeys().byConflicts();
    // A hot key: at least five keys, one of them carries a fifth of the traffic and collides.
    boolean hotKey = !hot.isEmpty() && d.hotKeys().keys() >= 5
        && hot.get(0).writeConflicts() + hot.get(0).lostUpdates() > 0
        && d.hotKeys().byTraffic().get(0).trafficShare() >= 0.2;
    if (causes.contains(Diagnosis.QUEUEING) || q.requestsOverTarget() > 0 || hotKey) {
      double over = q.requestsWithArrival() == 0 ? 0 : 100.0 * q.requestsOverTarget() / q.requestsWithArrival();
      String hk = d.hotKeys().byTraffic().isEmpty() ? "" : String.format(Locale.ROOT,
          "; hottest key %s carries %.1f%% of the traffic", d.hotKeys().byTraffic().get(0).key(),
          d.hotKeys().byTraffic().get(0).trafficShare() * 100);
      out.add(new Mitigation("queueing overload / hot keys",
          "Backpressure: bound the worker queue and answer 503 with Retry-After when full (admission control);"
              + " for hot keys, shard the counter into sub-keys so concurrent writers stop colliding.",
          String.format(Locale.ROOT, "%d requests (%.2f%%) waited longer than %s ms and would be shed or delayed%s",
              q.requestsOverTarget(), over, ReleaseGate.num(q.targetMs()), hk),
          null));
    }
    if (causes.contains(Diagnosis.STORAGE)) {
      out.add(new Mitigation("storage transaction problem",
          "Make the version check and the write one atomic statement (UPDATE ... WHERE version = ?, or a"
              + " serializable transaction); write the confirmation record in the same transaction; treat a timeout"
              + " as an unknown outcome and retry idempotently.",
          String.format(Locale.ROOT, "%d compare-and-set violations and %d storage faults in this capture;"
              + " serializable isolation adds aborts under contention (measure again)", lu.casViolations(),
              d.storageFaults().faultsNotExplainedByConflicts()),
          null));
    }
    if (out.isEmpty()) {
      out.add(new Mitigation("none found", "No anomaly to mitigate in this capture; keep the monitoring triggers.",
          "none", null));
    }
    return out;
  }

  public static List<Trigger> triggers(Criteria c, Summary s, Detectors d, LatencyResult lat,
      io.racetrace.analyzer.model.Results.Timeline tl) {
    List<Trigger> t = new ArrayList<>();
    t.add(new Trigger("invariant mismatch", "> 0", "measured " + (d.invariant().mismatch() == null ? "n/a"
        : d.invariant().mismatch()) + "; any mismatch is lost or duplicated inventory (roll back)"));
    t.add(new Trigger("duplicate request id with multiple confirmations", "> 0",
        "measured " + d.duplicates().duplicateConfirmations()));
    // Tested envelope of the conflict rate: the highest per-bucket write-conflict rate seen.
    double envelope = 0;
    long minWrites = 20;
    for (var b : tl.buckets()) {
      if (b.writeAttempts() >= minWrites) {
        envelope = Math.max(envelope, (double) b.writeConflicts() / b.writeAttempts());
      }
    }
    double overall = d.retries().conflictRate() == null ? 0 : d.retries().conflictRate();
    if (d.retries().conditionalWriteAttempts() == 0) {
      // No conditional writes yet: the window overlap rate is the conflict rate they would see.
      double overlap = d.lostUpdates().windowOverlapRate();
      t.add(new Trigger("key conflict rate above the tested envelope",
          String.format(Locale.ROOT, "> %.1f%% of writes", overlap * 100),
          String.format(Locale.ROOT, "no conditional writes in this capture; %.2f%% of read-modify-write windows"
              + " overlapped another on the same key, the conflict rate a conditional write would see", overlap * 100)));
    } else {
      t.add(new Trigger("key conflict rate above the tested envelope",
          String.format(Locale.ROOT, "> %.1f%% of writes", Math.max(envelope, overall) * 100),
          String.format(Locale.ROOT, "overall %.2f%%, highest %s-ms bucket %.2f%%", overall * 100,
              ReleaseGate.num(tl.bucketMs()), envelope * 100)));
    }
    int validated = Math.min(c.maxAttempts(), Math.max(1, d.retries().maxAttempts()));
    t.add(new Trigger("retry attempts per request above the validated limit", "> " + c.maxAttempts(),
        "policy limit " + c.maxAttempts() + "; largest seen " + d.retries().maxAttempts()
            + (validated < c.maxAttempts() ? " (limit not exercised)" : "")));
    t.add(new Trigger("p99 latency above target", ">= " + ReleaseGate.num(c.p99LatencyMs().bound()) + " ms",
        "measured p99 " + ReleaseGate.ms(lat.p99Ms()) + " ms"));
    t.add(new Trigger("queue delay above target", ">= " + ReleaseGate.num(c.maxQueueDelayMs().bound()) + " ms",
        "measured max " + ReleaseGate.ms(d.queueing().maxMs()) + " ms, p99 " + ReleaseGate.ms(d.queueing().p99Ms())
            + " ms"));
    String growth = d.retries().growth().stream().filter(g -> g.metric().startsWith("write conflicts"))
        .map(g -> String.format(Locale.ROOT, "%.2f%% at %.0f req/s vs %.2f%% at %.0f req/s", g.rateAtLowTraffic() * 100,
            g.lowTrafficPerSecond(), g.rateAtHighTraffic() * 100, g.highTrafficPerSecond()))
        .findFirst().orElse("not enough buckets to compare");
    t.add(new Trigger("storage conditional-write failures rising faster than traffic",
        "conflicts per write at peak > 1.5x the rate at low traffic", "measured " + growth));
    double r5 = s.requests() == 0 ? 0 : 100.0 * s.errors5xx() / s.requests();
    t.add(new Trigger("canary 5xx rate (rollback)", ">= " + ReleaseGate.num(c.errorRate5xxPercent().bound()) + "%",
        String.format(Locale.ROOT, "measured %.3f%%", r5)));
    return t;
  }
}
