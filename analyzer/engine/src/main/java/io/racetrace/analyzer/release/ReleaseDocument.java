package io.racetrace.analyzer.release;

import io.racetrace.analyzer.compare.Comparison;
import io.racetrace.analyzer.doc.Doc;
import io.racetrace.analyzer.doc.Doc.Line;
import io.racetrace.analyzer.doc.Doc.Span;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.report.TimelineTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The release package as a {@link Doc}: release.md and release.html are both rendered from this one. */
public final class ReleaseDocument {
  private ReleaseDocument() {}

  public static Doc of(ReleasePackage p) {
    Doc d = new Doc("racetrace release package");
    ReleasePackage.Decision dec = p.decision();
    d.heading(1, "Recommended decision", "decision");
    d.para(Span.status(dec.decision()), Span.text(" (exit code " + dec.exitCode() + "; the retest's own release gate: "
        + dec.retestGateDecision() + "). " + dec.text()));

    d.heading(1, "Release decision table", "items");
    List<List<Line>> rows = new ArrayList<>();
    for (ReleasePackage.Item i : p.items()) {
      rows.add(List.of(Line.of(i.item()), Line.of(Span.status(i.status())), Line.of(i.evidence()),
          i.link() == null ? Line.of("none") : Line.of(Span.link("evidence", i.link()))));
    }
    d.table(List.of("Release item", "Status", "Evidence", "Link"), rows);

    TimelineExample ex = p.reproductionTrace();
    d.heading(1, "Race reproduction: the two-client trace", "reproduction");
    if (ex == null) {
      d.para("No two-client trace of a lost update: neither the reproduction nor the baseline captured one.");
    } else {
      d.para(Span.strong(ex.title() + "."), Span.text(" " + ex.explanation()));
      List<List<Line>> steps = new ArrayList<>();
      for (List<String> r : TimelineTable.rows(ex)) {
        steps.add(r.stream().map(Line::of).toList());
      }
      d.figure(TimelineTable.svg(ex), TimelineTable.header(ex), steps, TimelineTable.note(ex));
    }

    workload(d, p.workload());
    harness(d, p.harness());

    d.heading(1, "Capacity screen", "capacity");
    d.para(p.capacity().statement());
    d.heading(1, "Retry screen", "retry-screen");
    d.para(p.retry().statement());
    d.heading(1, "Latency: in service and at the clients", "latency");
    d.para(p.latency().statement());

    d.heading(1, "Retest", "retest");
    if (p.retest().workloadWarnings().isEmpty()) {
      ReleasePackage.WorkloadModel w = p.workload();
      d.para(Boolean.TRUE.equals(w.sameScheduleAsBaseline())
          ? "Baseline and retest were offered the same workload, verified from the load generator's ground truth: "
              + w.profile() + ", seed " + w.seed() + ", schedule " + w.scheduleDigest() + "; keys and key popularity"
              + " agree within compare's tolerances."
          : "Baseline and retest ran comparable workloads: compare found no difference above its tolerances in requests,"
              + " rates, keys, key popularity and collision rate (no load generator's ground truth verified the"
              + " schedule).");
    } else {
      d.para(Span.strong("The two captures did not run the same workload:"));
      d.bullets(p.retest().workloadWarnings().stream().map(Line::of).toList());
    }
    List<List<Line>> retest = new ArrayList<>();
    for (Comparison.Row r : p.retest().rows()) {
      retest.add(List.of(Line.of(r.metric()), Line.of(r.baselineDisplay()), Line.of(r.retestDisplay()),
          Line.of(r.criterion()), Line.of(Span.status(r.retestStatus()))));
    }
    d.table(List.of("Metric", "Baseline", "After mitigation", "Criterion", "Retest status"), retest);
    d.para("Baseline decision: " + p.retest().baselineDecision() + "; retest decision: " + p.retest().retestDecision() + ".");

    d.heading(1, "Residual risks", "risks");
    d.bullets(p.residualRisks().stream().map(r -> Line.of(Span.strong(r.risk()), Span.text(": " + r.basis()))).toList());

    d.heading(1, "Monitoring triggers", "monitoring");
    List<List<Line>> mon = new ArrayList<>();
    for (Results.Trigger t : p.monitoring()) {
      mon.add(List.of(Line.of(t.alert()), Line.of(t.threshold()), Line.of(t.basis())));
    }
    d.table(List.of("Alert on", "Threshold", "Basis"), mon);
    d.para(p.tool() + ", " + p.generatedAt() + ".");
    return d;
  }

  private static void workload(Doc d, ReleasePackage.WorkloadModel w) {
    d.heading(1, "Workload model", "workload");
    List<List<Line>> rows = new ArrayList<>();
    kv(rows, "profile", or(w.profile()));
    kv(rows, "seed", w.seed() == null ? "not recorded" : Long.toString(w.seed()));
    kv(rows, "workload fingerprint", or(w.workloadFingerprint()));
    kv(rows, "schedule digest", or(w.scheduleDigest()));
    kv(rows, "same schedule as the baseline", w.sameScheduleAsBaseline() == null ? "not recorded"
        : w.sameScheduleAsBaseline() ? "yes (fingerprint and digest)" : "no");
    kv(rows, "requests, duration", String.format(Locale.ROOT, "%d requests in %.1f s", w.requests(), w.durationSeconds()));
    kv(rows, "request rate, mean / peak", Screens.f1(w.meanRequestsPerSecond()) + " / "
        + Screens.f1(w.peakRequestsPerSecond()) + " req/s");
    kv(rows, "bursts (peak / mean rate)", w.burstFactor() == null ? "not recorded" : Screens.f2(w.burstFactor()));
    kv(rows, "keys, initial stock", w.keys() + " keys, " + (w.initialStateTotal() == null ? "initial stock not recorded"
        : w.initialStateTotal() + " units at the start"));
    StringBuilder pop = new StringBuilder();
    for (ReleasePackage.KeyShare k : w.hotKeys()) {
      pop.append(pop.length() == 0 ? "" : ", ").append(k.key()).append(' ').append(ReleaseBuilder.pct(k.trafficShare()))
          .append(" (windows overlapping ").append(ReleaseBuilder.pct(k.windowOverlapRate())).append(')');
    }
    kv(rows, "key popularity (share of requests)", pop.length() == 0 ? "not recorded" : pop.toString());
    d.table(List.of("Workload", "Retest load phase"), rows);
  }

  private static void harness(Doc d, List<ReleasePackage.HarnessPhase> phases) {
    d.heading(1, "Harness", "harness");
    List<List<Line>> rows = new ArrayList<>();
    for (ReleasePackage.HarnessPhase h : phases) {
      rows.add(List.of(Line.of(h.build()), Line.of(Span.link(h.phase(), h.report())), Line.of(h.role()),
          Line.of(Long.toString(h.requests())), Line.of(String.join("; ", h.injects())),
          Line.of(h.invariantMismatch() == null ? "not measured" : Long.toString(h.invariantMismatch())),
          Line.of(Long.toString(h.lostUpdates())), Line.of(Long.toString(h.duplicateConfirmations())),
          Line.of(Span.status(h.decision()))));
    }
    d.table(List.of("Build", "Phase", "Role", "Requests", "Injects", "Invariant mismatch", "Lost updates",
        "Duplicate confirmations", "Phase decision"), rows);
  }

  private static void kv(List<List<Line>> rows, String k, String v) {
    rows.add(List.of(Line.of(k), Line.of(v)));
  }

  private static String or(String s) {
    return s == null ? "not recorded" : s;
  }
}
