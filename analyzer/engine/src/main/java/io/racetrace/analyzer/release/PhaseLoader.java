package io.racetrace.analyzer.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.report.JsonReport;
import io.racetrace.analyzer.report.ReportWriter;
import io.racetrace.trace.TraceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a phase: {@code DIR/report.json} (an analyze output directory), and the ground truth the
 * load generator wrote beside it ({@code DIR/ground-truth.json}) or one level up (the demo's
 * {@code PHASE/report/} layout). Failure handling: a missing, unreadable or foreign report.json is
 * one {@link TraceFormatException} naming the file and the field, never a half-read package.
 */
public final class PhaseLoader {
  static final String GROUND_TRUTH = "ground-truth.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PhaseLoader() {}

  public static Phase load(String build, String name, String role, Path dir) throws TraceFormatException {
    Path json = dir.resolve(ReportWriter.JSON);
    if (!Files.isRegularFile(json)) {
      throw new TraceFormatException(json, "no report.json (" + role + " " + name
          + ": pass an analyze output directory)");
    }
    AnalysisResult r;
    try {
      r = JsonReport.read(json);
    } catch (IOException e) {
      throw new TraceFormatException(json, "not a readable report.json: " + firstLine(e.getMessage()));
    }
    if (r.schemaVersion() != AnalysisResult.SCHEMA_VERSION) {
      throw new TraceFormatException(json, "schemaVersion " + r.schemaVersion() + ": this racetrace reads "
          + AnalysisResult.SCHEMA_VERSION);
    }
    require(json, "release", r.release());
    require(json, "summary", r.summary());
    require(json, "detectors", r.detectors());
    require(json, "workload", r.workload());
    require(json, "input", r.input());
    require(json, "latency", r.latency());
    require(json, "completeness", r.completeness());
    return new Phase(build, name, role, dir, r, groundTruth(dir));
  }

  private static void require(Path json, String field, Object value) throws TraceFormatException {
    if (value == null) {
      throw new TraceFormatException(json, field + ": missing (not a racetrace report.json)");
    }
  }

  /** The load generator's {@code ground-truth.json} beside {@code dir} or one level up; {@code null} if none. */
  public static JsonNode groundTruth(Path dir) throws TraceFormatException {
    Path parent = dir.toAbsolutePath().normalize().getParent();
    for (Path f : parent == null ? new Path[] {dir.resolve(GROUND_TRUTH)}
        : new Path[] {dir.resolve(GROUND_TRUTH), parent.resolve(GROUND_TRUTH)}) {
      if (Files.isRegularFile(f)) {
        try {
          return JSON.readTree(f.toFile());
        } catch (IOException e) {
          throw new TraceFormatException(f, "not readable JSON: " + firstLine(e.getMessage()));
        }
      }
    }
    return null;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
