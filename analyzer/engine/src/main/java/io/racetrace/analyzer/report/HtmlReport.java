package io.racetrace.analyzer.report;

import static io.racetrace.analyzer.report.Fmt.html;
import static io.racetrace.analyzer.report.Fmt.ms;
import static io.racetrace.analyzer.report.Fmt.n;
import static io.racetrace.analyzer.report.Fmt.pct;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no network): the decision,
 * release table, root cause with the interleaving swimlanes of the top examples, latency
 * distribution, conflict/retry rates and traffic over time, mitigations and triggers. A few lines
 * of inline script only record, after layout, the rendered size of every chart in {@code
 * data-rendered} attributes (the headless-browser test reads them).
 */
public final class HtmlReport {
  static final int MAX_SWIMLANES = 4;
  private final StringBuilder b = new StringBuilder(64 * 1024);

  private HtmlReport() {}

  public static String render(AnalysisResult r) {
    return new HtmlReport().doRender(r);
  }

  private HtmlReport p(String s) {
    b.append(s).append('\n');
    return this;
  }

  private String doRender(AnalysisResult r) {
    var rel = r.release();
    p("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    p("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    p("<title>racetrace report: " + html(Fmt.decisionLabel(rel.decision())) + "</title>");
    p("<style>" + CSS + "</style></head><body>");
    p("<h1>racetrace concurrency report</h1>");
    String warning = CaptureWarning.text(r.completeness());
    if (warning != null) {
      p("<div class=\"warning " + r.completeness().verdict() + "\" id=\"capture-warning\">" + html(warning) + "</div>");
    }
    p("<div class=\"decision " + rel.decision() + "\" id=\"decision\"><strong>" + html(Fmt.decisionLabel(rel.decision()))
        + "</strong> <span class=\"exit\">exit code " + rel.exitCode() + "</span><p>" + html(rel.decisionText())
        + "</p></div>");
    p("<p class=\"meta\">" + n(r.input().rows()) + " rows from " + r.input().queues().size() + " queue(s), "
        + String.format(java.util.Locale.ROOT, "%.3f", r.input().durationSeconds()) + " s, " + n(r.summary().requests())
        + " requests on " + n(r.summary().keys()) + " keys; completeness <b>" + r.completeness().verdict() + "</b> ("
        + pct(r.completeness().capturedShare()) + " of rows). " + html(r.tool()) + ", " + html(r.generatedAt()) + ".</p>");
    if (r.sampling() != null) {
      p("<div class=\"sampling" + (r.sampling().coversAllKeys() ? "" : " partial") + "\" id=\"sampling\"><b>Key"
          + " sampling:</b> " + html(r.sampling().statement()) + " <a href=\"#key-sampling\">Details</a></div>");
    }

    p("<h2 id=\"release-criteria\">Release criteria</h2><table class=\"release\"><tr><th>Metric</th><th>Measured</th><th>Criterion</th>"
        + "<th>Status</th><th>Evidence</th></tr>");
    for (var row : rel.table()) {
      p("<tr><td>" + html(row.metric()) + "</td><td>" + html(row.display()) + "</td><td>" + html(row.criterion())
          + "</td><td class=\"st " + row.status().replace(' ', '-') + "\">" + html(row.status()) + "</td><td>"
          + html(row.evidence()) + "</td></tr>");
    }
    p("</table>");

    var rc = r.rootCause();
    p("<h2 id=\"root-cause\">Root cause: " + html(rc.headline()) + "</h2>");
    if (!rc.findings().isEmpty()) {
      p("<table><tr><th>Classification</th><th>Proving metric</th><th>Value</th><th>Mechanism</th></tr>");
      for (var f : rc.findings()) {
        p("<tr><td><b>" + html(f.cause()) + "</b></td><td>" + html(f.metric()) + "</td><td>" + html(f.value())
            + "</td><td>" + html(f.explanation()) + "</td></tr>");
      }
      p("</table>");
    } else {
      p("<p>No lost update, duplicate confirmation, storage transaction problem or queueing overload was found.</p>");
    }
    List<TimelineExample> examples = examples(r);
    if (!examples.isEmpty()) {
      p("<h2 id=\"interleavings\">Interleavings</h2>");
      for (TimelineExample ex : examples) {
        example(ex);
      }
    }
    var tl = r.timeline();
    var q = r.detectors().queueing();
    p("<h2>Conflict and retry rates over time</h2><div class=\"chart-box\">" + Svg.rates(tl.buckets(), tl.bucketMs())
        + "</div>");
    p("<h2>Traffic and queue delay over time</h2><div class=\"chart-box\">"
        + Svg.traffic(tl.buckets(), tl.bucketMs(), q.targetMs()) + "</div>");
    var lat = r.latency();
    p("<h2>Latency distribution</h2><p>" + html(lat.measuredAs()) + ": p50 " + ms(lat.p50Ms()) + " ms, p95 "
        + ms(lat.p95Ms()) + " ms, p99 " + ms(lat.p99Ms()) + " ms, max " + ms(lat.maxMs()) + " ms over " + n(lat.count())
        + " requests." + html(Fmt.warmup(lat.warmup())) + "</p><div class=\"chart-box\">" + Svg.latency(lat.distribution(), lat.p50Ms(), lat.p99Ms(),
            r.release().criteria().p99LatencyMs().bound()) + "</div>");

    p("<h2>Mitigations</h2><table><tr><th>Anomaly</th><th>Mitigation</th><th>Expected cost</th></tr>");
    for (var m : r.mitigations()) {
      p("<tr><td>" + html(m.anomaly()) + "</td><td>" + html(m.mitigation()) + "</td><td>" + html(m.expectedCost())
          + "</td></tr>");
    }
    p("</table><h2 id=\"monitoring\">Monitoring triggers</h2><table><tr><th>Alert on</th><th>Threshold</th><th>Basis</th></tr>");
    for (var t : r.monitoring()) {
      p("<tr><td>" + html(t.alert()) + "</td><td>" + html(t.threshold()) + "</td><td>" + html(t.basis()) + "</td></tr>");
    }
    p("</table>");
    detectors(r);
    p("<script>" + SCRIPT + "</script></body></html>");
    return b.toString();
  }

  /** The root cause's example first, then the other examples, at most {@link #MAX_SWIMLANES}. */
  static List<TimelineExample> examples(AnalysisResult r) {
    List<TimelineExample> all = new ArrayList<>();
    if (r.rootCause().example() != null) {
      all.add(r.rootCause().example());
    }
    all.addAll(r.detectors().lostUpdates().examples());
    all.addAll(r.detectors().duplicates().examples());
    all.addAll(r.detectors().retries().examples());
    List<TimelineExample> out = new ArrayList<>();
    for (TimelineExample e : all) {
      if (out.size() < MAX_SWIMLANES && !out.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  private void example(TimelineExample ex) {
    p("<div class=\"example\"><h3>" + html(ex.title()) + "</h3><p>" + html(ex.explanation()) + "</p>");
    p("<div class=\"chart-box\">" + Svg.swimlane(ex) + "</div>");
    StringBuilder t = new StringBuilder("<table class=\"timeline\"><tr>");
    TimelineTable.header(ex).forEach(h -> t.append("<th>").append(html(h)).append("</th>"));
    t.append("</tr>");
    for (java.util.List<String> row : TimelineTable.rows(ex)) {
      t.append("<tr>");
      row.forEach(c -> t.append("<td>").append(html(c)).append("</td>"));
      t.append("</tr>");
    }
    p(t.append("</table><p class=\"meta\">").append(html(TimelineTable.note(ex))).append("</p>").toString());
    p("</div>");
  }

  private void detectors(AnalysisResult r) {
    var d = r.detectors();
    var lu = d.lostUpdates();
    var inv = d.invariant();
    var dup = d.duplicates();
    var rt = d.retries();
    var q = d.queueing();
    var sf = d.storageFaults();
    p("<h2>Detectors</h2><table class=\"kv\">");
    kv("read-modify-write windows / overlapping", n(lu.windows()) + " / " + n(lu.overlappingWindows()) + " ("
        + pct(lu.windowOverlapRate()) + ")");
    kv("lost updates in an overlapping window / after the other write returned", n(lu.lostUpdatesInOverlappingWindows())
        + " / " + n(lu.lostUpdates() - lu.lostUpdatesInOverlappingWindows()));
    kv("lost updates (stale writes + CAS violations)", n(lu.lostUpdates()) + " (" + n(lu.staleWrites()) + " + "
        + n(lu.casViolations()) + "), same-version pairs " + n(lu.sameVersionPairs()) + ", erased " + n(lu.erasedUpdates())
        + " updates / " + n(lu.erasedUnits()) + " units"
        + (lu.relativeWrites() > 0 ? "; " + n(lu.relativeWrites()) + " relative writes (an amount, no value), not judged" : ""));
    kv("invariant mismatch (confirmed = I0 - remaining)", (inv.mismatch() == null ? "not measured" : n(inv.mismatch()))
        + " over " + n(inv.keysChecked()) + " keys: " + n(inv.lostUpdates()) + " lost, " + n(inv.overApplied())
        + " over-applied"
        + (inv.amountDisagreements() > 0 ? "; " + n(inv.amountDisagreements()) + " amounts disagreed with the values (the values counted)" : ""));
    kv("duplicate confirmations", n(dup.duplicateConfirmations()) + " (" + n(dup.requestIdsConfirmedMoreThanOnce())
        + " ids); idempotent replays " + n(dup.idempotentReplays()) + "; client retries " + n(dup.clientRetries()));
    kv("attempts: max / limit / over limit", rt.maxAttempts() + " / " + rt.attemptLimit() + " / " + n(rt.requestsOverLimit()));
    kv("storage attempt amplification", Fmt.num(rt.amplification()) + " (screen 1/(1-p) " + Fmt.num(rt.screenedAmplification())
        + " at p = " + pct(rt.conflictRate()) + ")");
    kv("queue delay share / p99 / max", pct(q.queueDelayShare()) + " / " + ms(q.p99Ms()) + " ms / " + ms(q.maxMs()) + " ms");
    kv("storage timeouts + errors / 5xx after storage fault", n(sf.faultsNotExplainedByConflicts()) + " / "
        + n(sf.fivexxWithStorageFault()) + " of " + n(sf.requests5xx()) + " 5xx");
    p("</table>");
    p("<h3>Hot keys by traffic</h3>");
    hot(d.hotKeys().byTraffic());
    p("<h3>Hot keys by conflicts</h3>");
    hot(d.hotKeys().byConflicts());
    p("<h2 id=\"capture\">Capture</h2><ul>");
    for (String reason : r.completeness().reasons()) {
      p("<li>" + html(reason) + "</li>");
    }
    p("</ul>" + sampling(r.sampling()) + "<table><tr><th>Queue</th><th>Worker</th><th>Rows</th><th>Footer</th><th>Dropped</th><th>Sequence gaps</th></tr>");
    for (var qi : r.input().queues()) {
      p("<tr><td>" + html(qi.path()) + "</td><td>" + html(qi.workerId()) + "</td><td>" + n(qi.rows()) + "</td><td>"
          + (qi.footer() ? "yes" : "<b>no</b>") + "</td><td>" + Fmt.dropped(qi.counters())
          + "</td><td>" + n(qi.seqGapRows()) + "</td></tr>");
    }
    p("</table><p>" + html(MarkdownReport.transactions(r.input().transactions())) + "</p>");
  }

  /** The key-sampling details of the capture section, or "" if the agent never sampled. */
  private static String sampling(Results.Sampling s) {
    if (s == null) {
      return "";
    }
    StringBuilder h = new StringBuilder();
    h.append("<h3 id=\"key-sampling\">Key sampling</h3><p>").append(html(s.statement())).append(" Effective level ")
        .append(n(s.effectiveLevel())).append(" of ").append(n(io.racetrace.trace.TraceSchema.SAMPLE_ALL)).append(" (")
        .append(html(Fmt.percent(s.keySpacePercent()))).append(" of the key space, the lowest final level of the")
        .append(" workers): ").append(n(s.keysAnalyzed())).append(" keys analyzed, ").append(n(s.keysExcluded()))
        .append(" keys and ").append(n(s.rowsExcluded())).append(" rows excluded from every detector and from")
        .append(" rows.csv; ").append(n(s.rowsNotCaptured())).append(" rows not captured by the agent (known loss:")
        .append(" whole keys, not counted as missing).</p>\n");
    h.append("<table class=\"sampling-workers\"><tr><th>Worker</th><th>Budget (CPU)</th>")
        .append("<th>Final level (key space)</th><th>Cuts</th><th>First cut</th>")
        .append("<th>Overhead measured at first cut</th><th>Rows not captured</th></tr>\n");
    for (var w : s.workers()) {
      h.append("<tr><td>").append(html(w.workerId())).append("</td><td>")
          .append(w.sampled() ? html(Fmt.percent(w.budgetPercent())) : "no budget").append("</td><td>")
          .append(n(w.finalLevel())).append(" (").append(html(Fmt.percent(w.finalKeySpacePercent())))
          .append(")</td><td>").append(n(w.cuts())).append("</td><td>").append(html(Fmt.firstCut(w)))
          .append("</td><td>").append(html(Fmt.percent(w.measuredPercentAtFirstCut()))).append("</td><td>")
          .append(w.droppedSampled() == null ? "n/a" : n(w.droppedSampled())).append("</td></tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  private void hot(List<Results.HotKey> keys) {
    if (keys.isEmpty()) {
      p("<p>none</p>");
      return;
    }
    p("<table><tr><th>Key</th><th>Requests</th><th>Writes</th><th>Conflicts</th><th>Lost updates</th><th>Traffic share</th>"
        + "<th>Window overlap</th></tr>");
    for (var k : keys) {
      p("<tr><td>" + html(k.key()) + "</td><td>" + n(k.requests()) + "</td><td>" + n(k.writes()) + "</td><td>"
          + n(k.writeConflicts()) + "</td><td>" + n(k.lostUpdates()) + "</td><td>" + pct(k.trafficShare()) + "</td><td>"
          + pct(k.windowOverlapRate()) + "</td></tr>");
    }
    p("</table>");
  }

  private void kv(String k, String v) {
    p("<tr><th>" + html(k) + "</th><td>" + html(v) + "</td></tr>");
  }

  static final String CSS = "body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#1a202c}"
      + "table{border-collapse:collapse;margin:8px 0 16px;font-size:13px;width:100%}"
      + "th,td{border:1px solid #cbd5e0;padding:4px 8px;text-align:left;vertical-align:top}th{background:#edf2f7}"
      + ".st.pass{background:#c6f6d5}.st.conditional-pass{background:#fefcbf}.st.fail,.st.not-measured{background:#fed7d7}"
      + ".decision{padding:12px 16px;border-radius:6px;margin:12px 0;border:2px solid}"
      + ".decision.release{border-color:#38a169;background:#f0fff4}.decision.canary{border-color:#d69e2e;background:#fffff0}"
      + ".decision.do_not_release,.decision.recapture{border-color:#e53e3e;background:#fff5f5}"
      + ".warning{padding:12px 16px;border-radius:6px;font-weight:bold;margin:12px 0}"
      + ".warning.invalid{background:#e53e3e;color:#fff}.warning.unknown{background:#fefcbf;border:1px solid #d69e2e}"
      + ".exit{color:#4a5568;font-size:12px;margin-left:8px}.meta{color:#4a5568;font-size:13px}"
      + ".sampling{padding:8px 16px;border-radius:6px;margin:12px 0;background:#ebf8ff;border:1px solid #3182ce}"
      + ".sampling.partial{background:#fffff0;border-color:#d69e2e}"
      + ".chart-box{overflow-x:auto}.example{margin-bottom:24px}table.kv th{width:40%}";

  /** Records each chart's rendered size so a headless browser's DOM dump shows that layout happened. */
  static final String SCRIPT = "document.querySelectorAll('svg').forEach(function(s){var r=s.getBoundingClientRect();"
      + "s.setAttribute('data-rendered',Math.round(r.width)+'x'+Math.round(r.height));"
      + "s.setAttribute('data-marks',s.querySelectorAll('rect,polyline,line').length);});"
      + "document.body.setAttribute('data-charts',document.querySelectorAll('svg').length);";
}
