package io.racetrace.analyzer.release;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.racetrace.analyzer.compare.Comparison;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.List;

/**
 * {@code release.json}: the release package over the phases of one run (analyzer/release.schema.json,
 * documented in analyzer/REPORT_SCHEMA.md). Every figure comes from the phases' report.json files
 * and, where the load generator wrote one, their ground-truth.json; a {@code null} is "not recorded".
 * Links are relative to the directory release.json is in.
 */
@JsonPropertyOrder({"schemaVersion", "tool", "generatedAt", "decision", "items", "workload", "harness", "capacity",
    "retry", "latency", "retest", "residualRisks", "monitoring"})
public record ReleasePackage(
    int schemaVersion,
    String tool,
    String generatedAt,
    Decision decision,
    List<Item> items,
    WorkloadModel workload,
    List<HarnessPhase> harness,
    Capacity capacity,
    RetryScreen retry,
    LatencyCheck latency,
    Retest retest,
    List<Risk> residualRisks,
    List<Results.Trigger> monitoring,
    /** The reproduction's two-client trace of a lost update (else the baseline's); null if neither has one. */
    TimelineExample reproductionTrace) {

  /** Version of the release.json layout; bump on any incompatible change. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * @param decision release, canary, do_not_release or recapture: never more lenient than {@code retestGateDecision}
   * @param retestGateDecision the retest report's own release gate decision
   */
  public record Decision(String decision, String text, String retestGateDecision, int exitCode) {}

  /** One of the eight items of the validation plan's release table; {@code link} null when there is no evidence. */
  public record Item(String id, String item, String status, String evidence, String link) {}

  public record KeyShare(String key, double trafficShare, double windowOverlapRate) {}

  /** The retest's workload, with its identity from the load generator's ground truth where there is one. */
  public record WorkloadModel(
      String profile,
      Long seed,
      String workloadFingerprint,
      String scheduleDigest,
      /** Baseline and retest carry the same fingerprint and digest; null when either has no ground truth. */
      Boolean sameScheduleAsBaseline,
      long requests,
      double durationSeconds,
      Double meanRequestsPerSecond,
      Double peakRequestsPerSecond,
      /** Peak over mean request rate: how bursty the offered load was. */
      Double burstFactor,
      long keys,
      List<KeyShare> hotKeys,
      Long initialStateTotal) {}

  /** One phase of the harness and what it injected, each injection from a measured count. */
  public record HarnessPhase(
      String build,
      String phase,
      String role,
      String report,
      long requests,
      List<String> injects,
      Long invariantMismatch,
      long lostUpdates,
      long duplicateConfirmations,
      String decision) {}

  /** Step 1: utilization = arrival rate x mean service time / workers. */
  public record Capacity(
      Double peakArrivalsPerSecond,
      Double meanArrivalsPerSecond,
      Double meanServiceMs,
      Integer workers,
      /** Busy workers the peak arrival rate needs on average (arrival rate x mean service time). */
      Double busyWorkersAtPeak,
      Double utilizationAtPeak,
      Double utilizationAtMean,
      String statement) {}

  /** Step 6: storage attempts the retry policy adds at the peak. */
  public record RetryScreen(
      Double conflictRate,
      int attemptLimit,
      int maxAttempts,
      Double amplification,
      Double screenedAmplification,
      Double peakRequestsPerSecond,
      Double storageAttemptsPerSecondAtPeak,
      /** Extra storage attempts the baseline's report predicted for its mitigation, percent. */
      Double predictedExtraPercent,
      /** Extra storage attempts the retest measured, percent: (amplification - 1) x 100. */
      Double measuredExtraPercent,
      String statement) {}

  /** In-service latency (the capture) beside what the clients saw (the load generator), retest load phase. */
  public record LatencyCheck(
      Double inServiceP99Ms,
      Double serviceP99Ms,
      Double queueDelayP99Ms,
      Double clientP99Ms,
      Double generatorLagMs,
      boolean disagreement,
      String statement) {}

  /** The retest table of step 7 (compare's rows). */
  public record Retest(List<Comparison.Row> rows, List<String> workloadWarnings, String baselineDecision,
      String retestDecision) {}

  public record Risk(String id, String risk, String basis) {}
}
