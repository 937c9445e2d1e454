package io.racetrace.analyzer.report;

import io.racetrace.analyzer.doc.DocMarkdown;
import io.racetrace.analyzer.model.AnalysisResult;

/** {@code report.md}: the {@link ReportDocument} as Markdown (the tables the charts of report.html draw are here too). */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(AnalysisResult r) {
    return DocMarkdown.render(ReportDocument.of(r));
  }
}
