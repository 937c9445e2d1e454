package io.racetrace.analyzer.report;

import static io.racetrace.analyzer.report.Fmt.ms;
import static io.racetrace.analyzer.report.Fmt.n;
import static io.racetrace.analyzer.report.Fmt.pct;

import io.racetrace.analyzer.doc.Doc;
import io.racetrace.analyzer.doc.Doc.Line;
import io.racetrace.analyzer.doc.Doc.Span;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.Results.HotKey;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one analysis as a {@link Doc}: report.md and report.html are both rendered from it,
 * so every table and sentence is in both; report.html adds the charts above the tables they draw.
 * The order is a reviewer's: capture warning, decision, release table, root cause, the interleavings
 * that prove it, rates and latency, mitigations and triggers, each detector's details, and the
 * capture's provenance.
 */
public final class ReportDocument {
  /** Timeline examples shown: the root cause's first, then the detectors' (lost updates, duplicates, retries). */
  static final int MAX_EXAMPLES = 6;

  private final Doc d = new Doc("racetrace concurrency report");
  private final AnalysisResult r;

  private ReportDocument(AnalysisResult r) {
    this.r = r;
  }

  public static Doc of(AnalysisResult r) {
    ReportDocument rd = new ReportDocument(r);
    rd.build();
    return rd.d;
  }

  private void build() {
    var comp = r.completeness();
    String warning = CaptureWarning.text(comp);
    if (warning != null) {
      d.callout("callout warning " + comp.verdict(), "capture-warning", Span.strong(warning));
    }
    var rel = r.release();
    d.callout("callout decision " + rel.decision(), "decision",
        Span.strong("Decision: " + Fmt.decisionLabel(rel.decision())),
        Span.text(" (exit code " + rel.exitCode() + "). " + rel.decisionText()));
    d.para(Span.text("Capture: " + n(r.input().rows()) + " rows from " + r.input().queues().size() + " queue(s), "
        + String.format(Locale.ROOT, "%.3f", r.input().durationSeconds()) + " s, " + n(r.summary().requests())
        + " requests on " + n(r.summary().keys()) + " keys. Completeness: "), Span.strong(comp.verdict()),
        Span.text(", " + pct(comp.capturedShare()) + " of rows captured. " + r.tool() + "."));
    if (r.sampling() != null) {
      d.callout("callout sampling" + (r.sampling().coversAllKeys() ? "" : " partial"), "sampling",
          Span.strong("Key sampling:"), Span.text(" " + r.sampling().statement() + " "),
          Span.link("Details", "#key-sampling"));
    }

    d.heading(1, "Release criteria", "release-criteria");
    List<List<Line>> rows = new ArrayList<>();
    for (Results.ReleaseRow row : rel.table()) {
      rows.add(List.of(Line.of(row.metric()), Line.of(row.display()), Line.of(row.criterion()),
          Line.of(Span.status(row.status())), Line.of(row.evidence())));
    }
    d.table(List.of("Metric", "Measured", "Criterion", "Status", "Evidence"), rows);

    var rc = r.rootCause();
    d.heading(1, "Root cause: " + rc.headline(), "root-cause");
    if (rc.findings().isEmpty()) {
      d.para("No lost update, duplicate confirmation, storage transaction problem or queueing overload was found.");
    } else {
      List<List<Line>> f = new ArrayList<>();
      for (var x : rc.findings()) {
        f.add(List.of(Line.of(Span.strong(x.cause())), Line.of(x.metric()), Line.of(x.value()),
            Line.of(x.explanation())));
      }
      d.table(List.of("Classification", "Proving metric", "Value", "Mechanism"), f);
    }
    List<TimelineExample> examples = examples(r);
    if (!examples.isEmpty()) {
      d.heading(1, "Interleavings", "interleavings");
      d.para("The smallest sets of real rows that prove the anomalies, root cause first.");
      for (TimelineExample ex : examples) {
        example(ex);
      }
    }

    var tl = r.timeline();
    d.heading(1, "Conflict and retry rates over time", "rates");
    d.chart(Svg.rates(tl.buckets(), tl.bucketMs()));
    d.heading(1, "Traffic and queue delay over time", "traffic");
    d.chart(Svg.traffic(tl.buckets(), tl.bucketMs(), r.detectors().queueing().targetMs()));
    latency();

    d.heading(1, "Mitigations", "mitigations");
    List<List<Line>> m = new ArrayList<>();
    for (var x : r.mitigations()) {
      m.add(List.of(Line.of(x.anomaly()), Line.of(x.mitigation()), Line.of(x.expectedCost())));
    }
    d.table(List.of("Anomaly", "Mitigation", "Expected cost"), m);
    d.heading(1, "Monitoring triggers", "monitoring");
    List<List<Line>> t = new ArrayList<>();
    for (var x : r.monitoring()) {
      t.add(List.of(Line.of(x.alert()), Line.of(x.threshold()), Line.of(x.basis())));
    }
    d.table(List.of("Alert on", "Threshold", "Basis (measured)"), t);
    detectors();
    capture();
  }

  /** The root cause's example first, then the detectors' others, at most {@link #MAX_EXAMPLES}. */
  public static List<TimelineExample> examples(AnalysisResult r) {
    List<TimelineExample> all = new ArrayList<>();
    if (r.rootCause().example() != null) {
      all.add(r.rootCause().example());
    }
    all.addAll(r.detectors().lostUpdates().examples());
    all.addAll(r.detectors().duplicates().examples());
    all.addAll(r.detectors().retries().examples());
    List<TimelineExample> out = new ArrayList<>();
    for (TimelineExample e : all) {
      if (out.size() < MAX_EXAMPLES && !out.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  private void example(TimelineExample ex) {
    d.heading(2, ex.title(), null);
    d.para(ex.explanation());
    List<List<Line>> rows = new ArrayList<>();
    for (List<String> row : TimelineTable.rows(ex)) {
      rows.add(row.stream().map(Line::of).toList());
    }
    d.figure(Svg.swimlane(ex), TimelineTable.header(ex), rows, TimelineTable.note(ex));
  }

  private void latency() {
    var l = r.latency();
    d.heading(1, "Latency", "latency");
    d.para("Measured as " + l.measuredAs() + (l.correctedForCoordinatedOmission()
        ? ", corrected for coordinated omission" : "") + ", " + n(l.count()) + " requests (HdrHistogram)."
        + Fmt.warmup(l.warmup()));
    d.table(List.of("mean (ms)", "p50", "p95", "p99", "max", "service-time p99"), List.of(List.of(
        Line.of(ms(l.meanMs())), Line.of(ms(l.p50Ms())), Line.of(ms(l.p95Ms())), Line.of(ms(l.p99Ms())),
        Line.of(ms(l.maxMs())), Line.of(ms(l.serviceP99Ms())))));
    d.chart(Svg.latency(l.distribution(), l.p50Ms(), l.p99Ms(), r.release().criteria().p99LatencyMs().bound()));
  }

  /** A two-column table of measures. */
  private final class Kv {
    final List<List<Line>> rows = new ArrayList<>();

    Kv add(String k, Object v) {
      rows.add(List.of(Line.of(k),
          Line.of(v instanceof Long x ? n(x) : v instanceof Integer i ? n(i) : String.valueOf(v))));
      return this;
    }

    void table(String valueHeader) {
      d.table(List.of("Measure", valueHeader), rows);
    }
  }

  private void detectors() {
    var det = r.detectors();
    var lu = det.lostUpdates();
    d.heading(1, "Detectors", "detectors");
    d.heading(2, "Lost updates (overlapping read-modify-write)", "lost-updates");
    Kv k = new Kv()
        .add("read-modify-write windows", lu.windows())
        .add("windows overlapping another on the same key", lu.overlappingWindows() + " (" + pct(lu.windowOverlapRate()) + ")")
        .add("lost updates in an overlapping window / outside one",
            n(lu.lostUpdatesInOverlappingWindows()) + " / " + n(lu.lostUpdates() - lu.lostUpdatesInOverlappingWindows()))
        .add("lost updates (stale successful writes + CAS violations)", lu.lostUpdates())
        .add("stale successful writes", lu.staleWrites())
        .add("... on the same version another successful write read (A reads v, B reads v)", lu.sameVersionPairs())
        .add("conditional writes that succeeded on a consumed version", lu.casViolations())
        .add("updates erased (version transitions)", lu.erasedUpdates())
        .add("units erased (value n-1 written over a current m erases n-m)", lu.erasedUnits())
        .add("request writes without a read (not read-modify-writes, not judged)", lu.unjudgedWrites())
        .add("undecided writes (their read showed neither version nor value)", lu.undecidedWrites())
        .add("relative writes (an amount and no value: they take from the current stock, not judged)",
            lu.relativeWrites())
        .add("writes ahead of the key's state (rows out of commit order)", lu.aheadWrites())
        .add("writes outside requests (restock, admin)", lu.writesOutsideRequests());
    if (lu.writesAfterTheirRequest() > 0) {
      k.add("of those, writes after their request answered (the request probe returns before the write)",
          lu.writesAfterTheirRequest());
    }
    k.table("Count");

    var inv = det.invariant();
    d.heading(2, "Invariant: confirmed = I0 - remaining", "invariant");
    d.para(Span.text("Mismatch "), Span.strong(inv.mismatch() == null ? "not measured" : n(inv.mismatch())),
        Span.text(" over " + n(inv.keysChecked()) + " keys (" + n(inv.lostUpdates()) + " lost, " + n(inv.overApplied())
            + " over-applied; " + n(inv.keysUnknown()) + " written keys whose stock or effects the rows do not show)."
            + " Confirmed " + n(inv.confirmed()) + " distinct request ids with a successful write; the keys' states"
            + " account for " + n(inv.expectedFromState()) + ". Negative values written: "
            + n(inv.negativeValuesWritten()) + ". Writes whose amount disagreed with their values (the values"
            + " counted): " + n(inv.amountDisagreements()) + "."));
    if (!inv.worstKeys().isEmpty()) {
      List<List<Line>> rows = new ArrayList<>();
      for (var x : inv.worstKeys()) {
        rows.add(List.of(Line.of(x.key()), Line.of(x.basis()), Line.of(Long.toString(x.initial())),
            Line.of(Long.toString(x.remaining())), Line.of(Long.toString(x.confirmed())),
            Line.of(Long.toString(x.expected())), Line.of(Long.toString(x.mismatch()))));
      }
      d.table(List.of("Key", "Basis", "I0", "Remaining", "Confirmed", "I0 - remaining", "Mismatch"), rows);
    }

    var dup = det.duplicates();
    d.heading(2, "Duplicate confirmations", "duplicates");
    new Kv()
        .add("extra confirmations backed by their own successful write", dup.duplicateConfirmations())
        .add("request ids confirmed more than once", dup.requestIdsConfirmedMoreThanOnce())
        .add("idempotent replays (SUCCESS without a write: not duplicates)", dup.idempotentReplays())
        .add("SUCCESS answers with no write and no earlier confirmation", dup.confirmationsWithoutWrite())
        .add("executions of an id seen before (client retries, redeliveries)", dup.clientRetries())
        .table("Count");
    d.para("Request ids are compared by 64-bit fingerprint. Duplicates are always found when at most "
        + Fmt.num(dup.horizonSeconds()) + " s of capture time and " + n(dup.maxIdsPerGeneration())
        + " requests apart (" + n(dup.generations()) + " generation(s) of ids in this capture; see the README's"
        + " limits).");

    var rt = det.retries();
    d.heading(2, "Retries and storage attempt amplification", "retries");
    StringBuilder hist = new StringBuilder();
    for (Map.Entry<String, Long> e : rt.attemptHistogram().entrySet()) {
      hist.append(hist.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(n(e.getValue()));
    }
    new Kv()
        .add("attempt limit (criteria)", rt.attemptLimit())
        .add("largest attempts per request", rt.maxAttempts())
        .add("requests above the limit", rt.requestsOverLimit())
        .add("storage attempts / requests that reached storage", n(rt.storageAttempts()) + " / "
            + n(rt.requestsWithStorage()) + " = " + Fmt.num(rt.amplification()))
        .add("conflict rate p of conditional writes", pct(rt.conflictRate()))
        .add("screen 1/(1-p)", Fmt.num(rt.screenedAmplification()))
        .add("extra storage load", rt.extraStorageLoadPercent() == null ? "n/a"
            : String.format(Locale.ROOT, "%.1f%%", rt.extraStorageLoadPercent()))
        .add("client retries", rt.clientRetries())
        .add("requests by attempts", hist.toString())
        .table("Value");
    List<Line> notes = new ArrayList<>();
    for (var g : rt.growth()) {
      notes.add(Line.of(Span.text(String.format(Locale.ROOT, "%s: %.2f%% at %.0f req/s (quietest quarter of buckets)"
          + " vs %.2f%% at %.0f req/s (busiest quarter): ", g.metric(), g.rateAtLowTraffic() * 100,
          g.lowTrafficPerSecond(), g.rateAtHighTraffic() * 100, g.highTrafficPerSecond())),
          g.growsFasterThanTraffic() ? Span.strong("grows faster than traffic") : Span.text("does not grow faster than traffic")));
    }
    if (!rt.stormBuckets().isEmpty()) {
      notes.add(Line.of("retry storm buckets (retry rate above twice the capture's): " + rt.stormBuckets().size()
          + ", first at " + ms(rt.stormBuckets().get(0).tMs()) + " ms"));
    }
    d.bullets(notes);

    var q = det.queueing();
    d.heading(2, "Queueing", "queueing");
    new Kv()
        .add("requests matched to their arrival", q.requestsWithArrival())
        .add("queue delay share of latency", pct(q.queueDelayShare()))
        .add("queue delay p50 / p99 / max (ms)", ms(q.p50Ms()) + " / " + ms(q.p99Ms()) + " / " + ms(q.maxMs()))
        .add("requests over the " + Fmt.num(q.targetMs()) + " ms target", q.requestsOverTarget())
        .add("time buckets over target", q.bucketsOverTargetMs().size())
        .add("arrivals never started (shed or cut off)", q.arrivalsWithoutRequest())
        .add("requests without an arrival row", q.requestsWithoutArrival())
        .table("Value");

    var sf = det.storageFaults();
    d.heading(2, "Storage faults", "storage-faults");
    Kv s = new Kv()
        .add("read timeouts / errors", sf.readTimeouts() + " / " + sf.readErrors())
        .add("write timeouts / errors", sf.writeTimeouts() + " / " + sf.writeErrors())
        .add("5xx answers", sf.requests5xx())
        .add("... after a storage fault", sf.fivexxWithStorageFault())
        .add("... after version conflicts only", sf.fivexxAfterConflictsOnly())
        .add("... unexplained", sf.fivexxUnexplained());
    for (var e : sf.byException().entrySet()) {
      s.add(e.getKey(), e.getValue());
    }
    s.table("Count");

    d.heading(2, "Hot keys", "hot-keys");
    hotKeys("By traffic", det.hotKeys().byTraffic());
    hotKeys("By conflicts (failed conditional writes + lost updates)", det.hotKeys().byConflicts());
  }

  private void hotKeys(String title, List<HotKey> keys) {
    d.para(Span.strong(title));
    if (keys.isEmpty()) {
      d.para("none");
      return;
    }
    List<List<Line>> rows = new ArrayList<>();
    for (HotKey k : keys) {
      rows.add(List.of(Line.of(k.key()), Line.of(n(k.requests())), Line.of(n(k.reads())), Line.of(n(k.writes())),
          Line.of(n(k.writeConflicts())), Line.of(n(k.lostUpdates())), Line.of(n(k.conflictResponses())),
          Line.of(pct(k.trafficShare())), Line.of(pct(k.windowOverlapRate()))));
    }
    d.table(List.of("Key", "Requests", "Reads", "Writes", "Conflicts", "Lost updates", "Conflict answers",
        "Traffic share", "Window overlap"), rows);
  }

  private void capture() {
    var comp = r.completeness();
    var in = r.input();
    d.heading(1, "Capture", "capture");
    d.para(Span.text("Completeness "), Span.strong(comp.verdict()), Span.text(": " + n(comp.rowsRead())
        + " rows read, " + n(comp.rowsKnownMissing()) + " known missing (" + n(comp.rowsDroppedByAgent())
        + " dropped by the agent, " + n(comp.rowsMissingBySequence()) + " by per-thread sequence gaps)."));
    d.bullets(comp.reasons().stream().map(Line::of).toList());
    sampling(r.sampling());
    List<List<Line>> rows = new ArrayList<>();
    for (var q : in.queues()) {
      StringBuilder probes = new StringBuilder();
      for (var p : q.probes()) {
        probes.append(probes.length() == 0 ? "" : ", ").append(p.name()).append('=').append(p.matchedMethods());
      }
      rows.add(List.of(Line.of(q.path()), Line.of(q.workerId()), Line.of(n(q.rows())),
          q.footer() ? Line.of("yes") : Line.of(Span.strong("no")), Line.of(Fmt.dropped(q.counters())),
          Line.of(n(q.seqGapRows())), Line.of(probes.toString())));
    }
    d.table(List.of("Queue", "Worker", "Rows", "Footer", "Dropped", "Sequence gaps", "Probes matched"), rows);
    d.para(String.format(Locale.ROOT, "Rows reordered within a %.0f ms window; %d rows arrived later than that."
        + " Duplicate request ids tracked over %.0f s; executions without a REQUEST row closed after %.0f s (%d);"
        + " %d executions still open at the end.", in.reorderWindowMs(), in.lateRows(), in.dedupHorizonSeconds(),
        in.requestHorizonSeconds(), in.executionsWithoutRequestRow(), in.openExecutionsAtEnd()));
    d.para(transactions(in.transactions()));
  }

  /** One sentence on what the capture shows of transactions. */
  static String transactions(Results.Transactions t) {
    if (t == null || !t.probed()) {
      return "Transactions: no commit or rollback probes, so every write counts as applied when its row left"
          + " (a write whose transaction rolled back would count as applied).";
    }
    return String.format(Locale.ROOT, "Transactions: %d commits, %d rollbacks (or commits that threw);"
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
    d.heading(2, "Key sampling", "key-sampling");
    d.para(s.statement());
    d.para("Effective level " + n(s.effectiveLevel()) + " of " + n(io.racetrace.trace.TraceSchema.SAMPLE_ALL) + " ("
        + Fmt.percent(s.keySpacePercent()) + " of the key space, the lowest final level of the workers): "
        + n(s.keysAnalyzed()) + " keys analyzed, " + n(s.keysExcluded()) + " keys and " + n(s.rowsExcluded())
        + " rows excluded from every detector and from rows.csv; " + n(s.rowsNotCaptured())
        + " rows not captured by the agent (known loss: whole keys, not counted as missing).");
    List<List<Line>> rows = new ArrayList<>();
    for (var w : s.workers()) {
      rows.add(List.of(Line.of(w.workerId()), Line.of(w.sampled() ? Fmt.percent(w.budgetPercent()) : "no budget"),
          Line.of(n(w.finalLevel()) + " (" + Fmt.percent(w.finalKeySpacePercent()) + ")"), Line.of(n(w.cuts())),
          Line.of(Fmt.firstCut(w)), Line.of(Fmt.percent(w.measuredPercentAtFirstCut())),
          Line.of(w.droppedSampled() == null ? "n/a" : n(w.droppedSampled()))));
    }
    d.table(List.of("Worker", "Budget (CPU)", "Final level (key space)", "Cuts", "First cut",
        "Overhead measured at first cut", "Rows not captured"), rows);
  }
}
