package io.racetrace.analyzer.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.analyzer.model.AnalysisResult;
import java.nio.file.Path;

/**
 * One analyzed phase of a run: its report and, when the load generator wrote one beside it, its
 * ground truth (kept as a tree: the analyzer does not depend on the load generator).
 *
 * @param build baseline or mitigated
 * @param role load (the baseline or retest load phase), reproduction, or phase
 * @param dir the analyze output directory holding report.json
 * @param groundTruth ground-truth.json, or null when the run had none
 */
public record Phase(String build, String name, String role, Path dir, AnalysisResult report, JsonNode groundTruth) {
  public static final String BASELINE = "baseline";
  public static final String MITIGATED = "mitigated";
  public static final String LOAD = "load";
  public static final String REPRODUCTION = "reproduction";
  public static final String OTHER = "phase";

  /** A field of the ground truth, or null when there is none or it lacks the field. */
  JsonNode truth(String pointer) {
    if (groundTruth == null) {
      return null;
    }
    JsonNode n = groundTruth.at(pointer);
    return n.isMissingNode() || n.isNull() ? null : n;
  }
}
