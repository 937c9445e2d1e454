package io.racetrace.analyzer.report;

import static io.racetrace.analyzer.report.Fmt.md;
import static io.racetrace.analyzer.report.Fmt.ms;
import static io.racetrace.analyzer.report.Fmt.n;
import static io.racetrace.analyzer.report.Fmt.pct;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.Results.HotKey;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.List;
import java.util.Map;

/**
 * {@code report.md}: the release report in the order a reviewer reads it - capture warning,
 * decision, release table, root cause with its failure timeline, mitigations, monitoring
 * triggers, then each detector's details and the capture's provenance.
 */
public final class MarkdownReport {
  private final StringBuilder sb = new StringBuilder(16 * 1024);

  private MarkdownReport() {}

  public static String render(AnalysisResult r) {
    return new MarkdownReport().doRender(r);
  }

  private MarkdownReport line(String s) {
    sb.append(s).append('\n');
    return this;
  }

  private String doRender(AnalysisResult r) {
    var comp = r.completeness();
    line("# racetrace concurrency report").line("");
    String warning = CaptureWarning.text(comp);
    if (warning != null) {
      line("> **" + warning + "**").line("");
    }
    var rel = r.release();
    line("**Decision: " + Fmt.decisionLabel(rel.decision()) + "** (exit code " + rel.exitCode() + "). "
        + rel.decisionText()).line("");
    line("Capture: " + n(r.input().rows()) + " rows from " + r.input().queues().size() + " queue(s), "
        + String.format(java.util.Locale.ROOT, "%.3f", r.input().durationSeconds()) + " s, "
        + n(r.summary().requests()) + " requests on " + n(r.summary().keys()) + " keys. Completeness: **"
        + comp.verdict() + "**, " + pct(comp.capturedShare()) + " of rows captured. " + r.tool() + ".").line("");
    if (r.sampling() != null) {
      line("**Key sampling:** " + md(r.sampling().statement()) + " See [Key sampling](#key-sampling).").line("");
    }

    line("## Release criteria").line("");
    line("| Metric | Measured | Criterion | Status | Evidence |").line("|---|---|---|---|---|");
    for (Results.ReleaseRow row : rel.table()) {
      line("| " + md(row.metric()) + " | " + md(row.display()) + " | " + md(row.criterion()) + " | **"
          + row.status() + "** | " + md(row.evidence()) + " |");
    }
    line("");

    var rc = r.rootCause();
    line("## Root cause: " + rc.headline()).line("");
    if (rc.findings().isEmpty()) {
      line("No lost update, duplicate confirmation, storage transaction problem or queueing overload was found.")
          .line("");
    } else {
      line("| Classification | Proving metric | Value | Mechanism |").line("|---|---|---|---|");
      for (var f : rc.findings()) {
        line("| " + f.cause() + " | " + md(f.metric()) + " | " + md(f.value()) + " | " + md(f.explanation()) + " |");
      }
      line("");
    }
    if (rc.example() != null) {
      line("### Failure timeline").line("");
      example(rc.example());
    }

    line("## Mitigations").line("");
    line("| Anomaly | Mitigation | Expected cost |").line("|---|---|---|");
    for (var m : r.mitigations()) {
      line("| " + md(m.anomaly()) + " | " + md(m.mitigation()) + " | " + md(m.expectedCost()) + " |");
    }
    line("");
    line("## Monitoring triggers").line("");
    line("| Alert on | Threshold | Basis (measured) |").line("|---|---|---|");
    for (var t : r.monitoring()) {
      line("| " + md(t.alert()) + " | " + md(t.threshold()) + " | " + md(t.basis()) + " |");
    }
    line("");
    detectors(r);
    latency(r);
    capture(r);
    return sb.toString();
  }

  private void example(TimelineExample ex) {
    line("**" + md(ex.title()) + ".** " + md(ex.explanation())).line("");
    List<String> h = TimelineTable.header(ex);
    line("| " + String.join(" | ", h.stream().map(Fmt::md).toList()) + " |").line("|" + "---|".repeat(h.size()));
    for (List<String> row : TimelineTable.rows(ex)) {
      line("| " + String.join(" | ", row.stream().map(Fmt::md).toList()) + " |");
    }
    line("").line(md(TimelineTable.note(ex))).line("");
  }

  private void detectors(AnalysisResult r) {
    var d = r.detectors();
    var lu = d.lostUpdates();
    line("## Detectors").line("");
    line("### Lost updates (overlapping read-modify-write)").line("");
    line("| Measure | Count |").line("|---|---|");
    kv("read-modify-write windows", lu.windows());
    kv("windows overlapping another on the same key", lu.overlappingWindows() + " (" + pct(lu.windowOverlapRate()) + ")");
    kv("lost updates in an overlapping window / after the other write returned", lu.lostUpdatesInOverlappingWindows()
        + " / " + (lu.lostUpdates() - lu.lostUpdatesInOverlappingWindows()));
    kv("lost updates (stale successful writes + CAS violations)", lu.lostUpdates());
    kv("stale successful writes", lu.staleWrites());
    kv("... on the same version another successful write read (A reads v, B reads v)", lu.sameVersionPairs());
    kv("conditional writes that succeeded on a consumed version", lu.casViolations());
    kv("updates erased (version transitions)", lu.erasedUpdates());
    kv("units erased (value n-1 written over a current m erases n-m)", lu.erasedUnits());
    kv("request writes without a read (not read-modify-writes, not judged)", lu.unjudgedWrites());
    kv("undecided writes (their read showed neither version nor value)", lu.undecidedWrites());
    kv("relative writes (an amount and no value: they take from the current stock, not judged)", lu.relativeWrites());
    kv("writes ahead of the key's state (rows out of commit order)", lu.aheadWrites());
    kv("writes outside requests (restock, admin)", lu.writesOutsideRequests());
    if (lu.writesAfterTheirRequest() > 0) {
      kv("of those, writes after their request answered (the request probe returns before the write)",
          lu.writesAfterTheirRequest());
    }
    line("");
    for (int i = 1; i < lu.examples().size(); i++) {
      line("#### Example " + (i + 1)).line("");
      example(lu.examples().get(i));
    }
    var inv = d.invariant();
    line("### Invariant: confirmed = I0 - remaining").line("");
    line("Mismatch **" + (inv.mismatch() == null ? "not measured" : n(inv.mismatch())) + "** over "
        + n(inv.keysChecked()) + " keys (" + n(inv.lostUpdates()) + " lost, " + n(inv.overApplied())
        + " over-applied; " + n(inv.keysUnknown()) + " written keys whose stock or effects the rows do not show). Confirmed "
        + n(inv.confirmed()) + " distinct request ids with a successful write; the keys' states account for "
        + n(inv.expectedFromState()) + ". Negative values written: " + n(inv.negativeValuesWritten())
        + ". Writes whose amount disagreed with their values (the values counted): " + n(inv.amountDisagreements()) + ".")
        .line("");
    if (!inv.worstKeys().isEmpty()) {
      line("| Key | Basis | I0 | Remaining | Confirmed | I0 - remaining | Mismatch |").line("|---|---|---|---|---|---|---|");
      for (var k : inv.worstKeys()) {
        line("| " + md(k.key()) + " | " + k.basis() + " | " + k.initial() + " | " + k.remaining() + " | " + k.confirmed()
            + " | " + k.expected() + " | " + k.mismatch() + " |");
      }
      line("");
    }
    var dup = d.duplicates();
    line("### Duplicate confirmations").line("");
    line("| Measure | Count |").line("|---|---|");
    kv("extra confirmations backed by their own successful write", dup.duplicateConfirmations());
    kv("request ids confirmed more than once", dup.requestIdsConfirmedMoreThanOnce());
    kv("idempotent replays (SUCCESS without a write: not duplicates)", dup.idempotentReplays());
    kv("SUCCESS answers with no write and no earlier confirmation", dup.confirmationsWithoutWrite());
    kv("executions of an id seen before (client retries, redeliveries)", dup.clientRetries());
    line("").line("Request ids are compared by 64-bit fingerprint. Duplicates are always found when at most "
        + Fmt.num(dup.horizonSeconds()) + " s of capture time and " + n(dup.maxIdsPerGeneration())
        + " requests apart (" + n(dup.generations()) + " generation(s) of ids in this capture; see the README's"
        + " limits).").line("");
    for (var ex : dup.examples()) {
      example(ex);
    }
    var rt = d.retries();
    line("### Retries and storage attempt amplification").line("");
    line("| Measure | Value |").line("|---|---|");
    kv("attempt limit (criteria)", rt.attemptLimit());
    kv("largest attempts per request", rt.maxAttempts());
    kv("requests above the limit", rt.requestsOverLimit());
    kv("storage attempts / requests that reached storage", n(rt.storageAttempts()) + " / " + n(rt.requestsWithStorage())
        + " = " + Fmt.num(rt.amplification()));
    kv("conflict rate p of conditional writes", pct(rt.conflictRate()));
    kv("screen 1/(1-p)", Fmt.num(rt.screenedAmplification()));
    kv("extra storage load", rt.extraStorageLoadPercent() == null ? "n/a"
        : String.format(java.util.Locale.ROOT, "%.1f%%", rt.extraStorageLoadPercent()));
    kv("client retries", rt.clientRetries());
    StringBuilder hist = new StringBuilder();
    for (Map.Entry<String, Long> e : rt.attemptHistogram().entrySet()) {
      hist.append(hist.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(n(e.getValue()));
    }
    kv("requests by attempts", hist.toString());
    line("");
    for (var g : rt.growth()) {
      line(String.format(java.util.Locale.ROOT, "- %s: %.2f%% at %.0f req/s (quietest quarter of buckets) vs %.2f%% at"
          + " %.0f req/s (busiest quarter): %s", g.metric(), g.rateAtLowTraffic() * 100, g.lowTrafficPerSecond(),
          g.rateAtHighTraffic() * 100, g.highTrafficPerSecond(),
          g.growsFasterThanTraffic() ? "**grows faster than traffic**" : "does not grow faster than traffic"));
    }
    if (!rt.stormBuckets().isEmpty()) {
      line("- retry storm buckets (retry rate above twice the capture's): " + rt.stormBuckets().size() + ", first at "
          + ms(rt.stormBuckets().get(0).tMs()) + " ms");
    }
    line("");
    var q = d.queueing();
    line("### Queueing").line("");
    line("| Measure | Value |").line("|---|---|");
    kv("requests matched to their arrival", q.requestsWithArrival());
    kv("queue delay share of latency", pct(q.queueDelayShare()));
    kv("queue delay p50 / p99 / max (ms)", ms(q.p50Ms()) + " / " + ms(q.p99Ms()) + " / " + ms(q.maxMs()));
    kv("requests over the " + Fmt.num(q.targetMs()) + " ms target", q.requestsOverTarget());
    kv("time buckets over target", q.bucketsOverTargetMs().size());
    kv("arrivals never started (shed or cut off)", q.arrivalsWithoutRequest());
    kv("requests without an arrival row", q.requestsWithoutArrival());
    line("");
    var sf = d.storageFaults();
    line("### Storage faults").line("");
    line("| Measure | Count |").line("|---|---|");
    kv("read timeouts / errors", sf.readTimeouts() + " / " + sf.readErrors());
    kv("write timeouts / errors", sf.writeTimeouts() + " / " + sf.writeErrors());
    kv("5xx answers", sf.requests5xx());
    kv("... after a storage fault", sf.fivexxWithStorageFault());
    kv("... after version conflicts only", sf.fivexxAfterConflictsOnly());
    kv("... unexplained", sf.fivexxUnexplained());
    for (var e : sf.byException().entrySet()) {
      kv("`" + e.getKey() + "`", e.getValue());
    }
    line("");
    line("### Hot keys").line("");
    hotKeys("By traffic", d.hotKeys().byTraffic());
    hotKeys("By conflicts (failed conditional writes + lost updates)", d.hotKeys().byConflicts());
  }

  private void hotKeys(String title, List<HotKey> keys) {
    line("**" + title + "**").line("");
    if (keys.isEmpty()) {
      line("none").line("");
      return;
    }
    line("| Key | Requests | Reads | Writes | Conflicts | Lost updates | Conflict answers | Traffic share | Window overlap |")
        .line("|---|---|---|---|---|---|---|---|---|");
    for (HotKey k : keys) {
      line("| " + md(k.key()) + " | " + n(k.requests()) + " | " + n(k.reads()) + " | " + n(k.writes()) + " | "
          + n(k.writeConflicts()) + " | " + n(k.lostUpdates()) + " | " + n(k.conflictResponses()) + " | "
          + pct(k.trafficShare()) + " | " + pct(k.windowOverlapRate()) + " |");
    }
    line("");
  }

  private void latency(AnalysisResult r) {
    var l = r.latency();
    line("## Latency").line("");
    line("Measured as " + l.measuredAs() + (l.correctedForCoordinatedOmission()
        ? ", corrected for coordinated omission" : "") + ", " + n(l.count()) + " requests (HdrHistogram)."
        + Fmt.warmup(l.warmup())).line("");
    line("| mean | p50 | p95 | p99 | max | service-time p99 |").line("|---|---|---|---|---|---|");
    line("| " + ms(l.meanMs()) + " | " + ms(l.p50Ms()) + " | " + ms(l.p95Ms()) + " | " + ms(l.p99Ms()) + " | "
        + ms(l.maxMs()) + " | " + ms(l.serviceP99Ms()) + " |").line("");
    line("(milliseconds)").line("");
  }

  private void capture(AnalysisResult r) {
    var comp = r.completeness();
    var in = r.input();
    line("## Capture").line("");
    line("Completeness **" + comp.verdict() + "**: " + n(comp.rowsRead()) + " rows read, " + n(comp.rowsKnownMissing())
        + " known missing (" + n(comp.rowsDroppedByAgent()) + " dropped by the agent, " + n(comp.rowsMissingBySequence())
        + " by per-thread sequence gaps).").line("");
    for (String reason : comp.reasons()) {
      line("- " + md(reason));
    }
    if (!comp.reasons().isEmpty()) {
      line("");
    }
    sampling(r.sampling());
    line("| Queue | Worker | Rows | Footer | Dropped | Sequence gaps | Probes matched |").line("|---|---|---|---|---|---|---|");
    for (var q : in.queues()) {
      StringBuilder probes = new StringBuilder();
      for (var p : q.probes()) {
        probes.append(probes.length() == 0 ? "" : ", ").append(p.name()).append('=').append(p.matchedMethods());
      }
      line("| " + md(q.path()) + " | " + md(q.workerId()) + " | " + n(q.rows()) + " | " + (q.footer() ? "yes" : "**no**")
          + " | " + Fmt.dropped(q.counters()) + " | " + n(q.seqGapRows()) + " | "
          + md(probes.toString()) + " |");
    }
    line("");
    line(String.format(java.util.Locale.ROOT, "Rows reordered within a %.0f ms window; %d rows arrived later than that."
        + " Duplicate request ids tracked over %.0f s; executions without a REQUEST row closed after %.0f s (%d);"
        + " %d executions still open at the end.", in.reorderWindowMs(), in.lateRows(), in.dedupHorizonSeconds(),
        in.requestHorizonSeconds(), in.executionsWithoutRequestRow(), in.openExecutionsAtEnd()));
    line("");
    line(transactions(in.transactions()));
  }

  /** One sentence on what the capture shows of transactions. */
  static String transactions(Results.Transactions t) {
    if (t == null || !t.probed()) {
      return "Transactions: no commit or rollback probes, so every write counts as applied when its row left"
          + " (a write whose transaction rolled back would count as applied).";
    }
    return String.format(java.util.Locale.ROOT, "Transactions: %d commits, %d rollbacks (or commits that threw);"
        + " writes applied at their commit %d, discarded by a rollback %d, taken as autocommitted (no boundary on"
        + " their thread) %d, in a transaction that never ended in the capture (discarded) %d. Commits a read"
        + " showed before their row %d; committed transactions that waited for an earlier one's row %d%s.",
        t.commits(), t.rollbacks(), t.writesCommitted(), t.writesRolledBack(), t.writesWithoutBoundary(),
        t.writesNeverEnded(), t.commitsSeenBeforeTheirRow(), t.commitsAfterAnOpenTransaction(),
        t.rollbacksAfterSeenCommit() == 0 ? "" : "; rollbacks of transactions a read had shown committed "
            + t.rollbacksAfterSeenCommit() + " (their writes were counted as applied)");
  }

  private void sampling(Results.Sampling s) {
    if (s == null) {
      return;
    }
    line("### Key sampling").line("");
    line(md(s.statement())).line("");
    line("Effective level " + n(s.effectiveLevel()) + " of " + n(io.racetrace.trace.TraceSchema.SAMPLE_ALL) + " ("
        + Fmt.percent(s.keySpacePercent()) + " of the key space, the lowest final level of the workers): "
        + n(s.keysAnalyzed()) + " keys analyzed, " + n(s.keysExcluded()) + " keys and " + n(s.rowsExcluded())
        + " rows excluded from every detector and from rows.csv; " + n(s.rowsNotCaptured())
        + " rows not captured by the agent (known loss: whole keys, not counted as missing).").line("");
    line("| Worker | Budget (CPU) | Final level (key space) | Cuts | First cut | Overhead measured at first cut |"
        + " Rows not captured |").line("|---|---|---|---|---|---|---|");
    for (var w : s.workers()) {
      line("| " + md(w.workerId()) + " | " + (w.sampled() ? Fmt.percent(w.budgetPercent()) : "no budget") + " | "
          + n(w.finalLevel()) + " (" + Fmt.percent(w.finalKeySpacePercent()) + ") | " + n(w.cuts()) + " | "
          + md(Fmt.firstCut(w)) + " | " + Fmt.percent(w.measuredPercentAtFirstCut()) + " | "
          + (w.droppedSampled() == null ? "n/a" : n(w.droppedSampled())) + " |");
    }
    line("");
  }

  private void kv(String k, Object v) {
    line("| " + k + " | " + (v instanceof Long l ? n(l) : v instanceof Integer i ? n(i) : md(String.valueOf(v))) + " |");
  }
}
