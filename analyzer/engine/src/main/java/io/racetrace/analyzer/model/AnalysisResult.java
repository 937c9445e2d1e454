package io.racetrace.analyzer.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Everything one analysis found: the root object of {@code report.json}. Immutable; built once
 * by {@code io.racetrace.analyzer.Analysis} and rendered by the report writers.
 */
@JsonPropertyOrder({"schemaVersion", "tool", "generatedAt", "input", "completeness", "sampling", "summary", "release",
    "rootCause", "mitigations", "monitoring", "detectors", "latency", "timeline", "workload"})
public record AnalysisResult(
    int schemaVersion,
    String tool,
    String generatedAt,
    Results.InputInfo input,
    Results.Completeness completeness,
    /** Key sampling by the agent (overhead budget); absent when no queue holds a sampling record. */
    @JsonInclude(JsonInclude.Include.NON_NULL) Results.Sampling sampling,
    Results.Summary summary,
    Results.Release release,
    Results.RootCause rootCause,
    List<Results.Mitigation> mitigations,
    List<Results.Trigger> monitoring,
    Results.Detectors detectors,
    Results.LatencyResult latency,
    Results.Timeline timeline,
    Results.Workload workload) {

  /** Version of the report.json layout; bump on any incompatible change (REPORT_SCHEMA.md). */
  public static final int SCHEMA_VERSION = 1;
}
