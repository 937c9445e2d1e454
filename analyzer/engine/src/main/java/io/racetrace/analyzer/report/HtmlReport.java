package io.racetrace.analyzer.report;

import io.racetrace.analyzer.doc.DocHtml;
import io.racetrace.analyzer.model.AnalysisResult;

/**
 * {@code report.html}: the {@link ReportDocument} as one self-contained page (inline CSS and SVG,
 * no network), the same tables and sentences as report.md with the charts above them. A few lines
 * of inline script only record, after layout, the rendered size of every chart in {@code
 * data-rendered} attributes (the headless-browser test reads them).
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(AnalysisResult r) {
    return DocHtml.render(ReportDocument.of(r), CSS, SCRIPT);
  }

  static final String CSS = "body{max-width:1000px}table{font-size:13px;width:100%}"
      + ".callout.decision{font-size:15px}.ev title{display:none}";

  /** Records each chart's rendered size so a headless browser's DOM dump shows that layout happened. */
  static final String SCRIPT = "document.querySelectorAll('svg').forEach(function(s){var r=s.getBoundingClientRect();"
      + "s.setAttribute('data-rendered',Math.round(r.width)+'x'+Math.round(r.height));"
      + "s.setAttribute('data-marks',s.querySelectorAll('rect,polyline,line').length);});"
      + "document.body.setAttribute('data-charts',document.querySelectorAll('svg').length);";
}
