package io.racetrace.analyzer.cli;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import io.racetrace.analyzer.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** The few lines {@code analyze} prints: warning, decision, the release table, where the reports are. */
final class Summary {
  private Summary() {}

  /** {@code written}: the files of this run in {@code dir}, so the last line names only those. */
  static void print(PrintWriter out, AnalysisResult r, Path dir, java.util.List<String> written) {
    var c = r.completeness();
    if (!c.verdict().equals("valid")) {
      out.printf(Locale.ROOT, "CAPTURE %s: %.3f%% of rows captured%s%n", c.verdict().toUpperCase(Locale.ROOT),
          c.capturedShare() * 100, c.reasons().isEmpty() ? "" : " - " + c.reasons().get(0));
    }
    if (r.sampling() != null && !r.sampling().coversAllKeys()) {
      out.println("KEY SAMPLING: " + r.sampling().statement());
    }
    out.printf(Locale.ROOT, "%,d rows, %,d requests, %,d keys; root cause: %s%n", r.input().rows(),
        r.summary().requests(), r.summary().keys(), r.rootCause().headline());
    for (ReleaseRow row : r.release().table()) {
      out.printf(Locale.ROOT, "  %-18s %-48s %-22s %s%n", row.status(), row.metric(), row.display(), row.criterion());
    }
    out.println("decision: " + r.release().decision() + " - " + r.release().decisionText());
    String also = String.join(", ", written.stream().filter(f -> !f.equals(ReportWriter.HTML)).toList());
    out.println("reports: " + dir.resolve(ReportWriter.HTML) + (also.isEmpty() ? "" : " (also " + also + ")"));
    out.flush();
  }
}
