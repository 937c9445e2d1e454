package io.racetrace.analyzer.release;

import io.racetrace.analyzer.doc.Doc;
import io.racetrace.analyzer.doc.DocHtml;
import io.racetrace.analyzer.doc.DocMarkdown;
import io.racetrace.analyzer.report.JsonReport;
import io.racetrace.analyzer.util.PrivateFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/** Writes release.md, release.html (one {@link Doc}, rendered twice) and release.json into a directory, owner-only. */
public final class ReleaseWriter {
  public static final String MD = "release.md";
  public static final String HTML = "release.html";
  public static final String JSON = "release.json";
  public static final List<String> FILES = List.of(MD, HTML, JSON);

  private ReleaseWriter() {}

  public static void writeAll(ReleasePackage p, Path dir) throws IOException {
    PrivateFiles.dir(dir);
    Doc doc = ReleaseDocument.of(p);
    PrivateFiles.writeString(dir.resolve(MD), DocMarkdown.render(doc));
    PrivateFiles.writeString(dir.resolve(HTML), DocHtml.render(doc));
    try (Writer w = PrivateFiles.newWriter(dir.resolve(JSON))) {
      JsonReport.MAPPER_FOR_TOOLS.writeValue(w, p);
    }
  }
}
