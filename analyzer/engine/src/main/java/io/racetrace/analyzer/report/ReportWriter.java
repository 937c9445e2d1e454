package io.racetrace.analyzer.report;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes {@code report.md}, {@code report.html} and {@code report.json} into a directory, owner-only
 * ({@code rows.csv} is written while reading: see {@code AnalysisOptions.rowsCsv}).
 */
public final class ReportWriter {
  public static final String MD = "report.md";
  public static final String HTML = "report.html";
  public static final String JSON = "report.json";
  public static final String CSV = "rows.csv";

  private ReportWriter() {}

  public static void writeAll(AnalysisResult r, Path outDir) throws IOException {
    PrivateFiles.dir(outDir);
    PrivateFiles.writeString(outDir.resolve(MD), MarkdownReport.render(r));
    PrivateFiles.writeString(outDir.resolve(HTML), HtmlReport.render(r));
    JsonReport.write(r, outDir.resolve(JSON));
  }
}
