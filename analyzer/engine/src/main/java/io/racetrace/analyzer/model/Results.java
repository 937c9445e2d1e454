package io.racetrace.analyzer.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@code report.json}, one record each; documented field by field in {@code
 * analyzer/REPORT_SCHEMA.md}. Times are milliseconds unless a name says otherwise; "tMs" is
 * milliseconds since the first row of the capture. A {@code null} number means "not measured".
 */
public final class Results {
  private Results() {}

  public record LostUpdateResult(
      long lostUpdates,
      long staleWrites,
      long sameVersionPairs,
      long casViolations,
      long erasedUpdates,
      long erasedUnits,
      long windows,
      long overlappingWindows,
      double windowOverlapRate,
      /**
       * Lost updates whose window overlapped an earlier window of its key (its read began before
       * that window's write returned, or committed where transaction probes show commits). The
       * others read a state older than a write whose window had ended: that write was not yet
       * visible to them, or they read from an older snapshot.
       */
      long lostUpdatesInOverlappingWindows,
      long unjudgedWrites,
      /** Successful request writes whose read showed nothing that tells its state from the current one. */
      long undecidedWrites,
      /**
       * Successful request writes with an amount and no value (a relative update): they take from
       * whatever stock is current, so they erase no one's update and are not judged.
       */
      long relativeWrites,
      long aheadWrites,
      long writesOutsideRequests,
      /** Of those, writes that came next on the thread of a confirmed request that had read their key and written nothing. */
      long writesAfterTheirRequest,
      List<TimelineExample> examples) {}

  public record KeyInvariant(String key, String basis, long initial, long remaining, long confirmed, long expected,
      long mismatch) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record InvariantResult(
      Long mismatch,
      long lostUpdates,
      long overApplied,
      long confirmed,
      long expectedFromState,
      long keysChecked,
      long keysUnknown,
      long keysWithMismatch,
      long negativeValuesWritten,
      /**
       * Successful writes carrying both an amount and a value whose value-based change (value read
       * minus value written; for a write outside requests, the stock before minus the value) was
       * not the amount: the value's is used.
       */
      long amountDisagreements,
      List<KeyInvariant> worstKeys) {}

  public record DuplicateResult(
      long duplicateConfirmations,
      long requestIdsConfirmedMoreThanOnce,
      long idempotentReplays,
      long confirmationsWithoutWrite,
      long clientRetries,
      long distinctRequestIdsTracked,
      double horizonSeconds,
      long maxIdsPerGeneration,
      long generations,
      /** Requests whose REQUEST row had no id: not checked for duplicates. */
      long requestsWithoutId,
      List<TimelineExample> examples) {}

  public record Bucket(
      double tMs,
      long arrivals,
      long requests,
      long confirmations,
      long conflictResponses,
      long errors5xx,
      long writeAttempts,
      long writeConflicts,
      long retries,
      long storageAttempts,
      long lostUpdates,
      long duplicateConfirmations,
      Double maxQueueDelayMs,
      Double meanQueueDelayMs,
      long queueDelayOverTarget,
      Double maxLatencyMs) {}

  public record Timeline(double bucketMs, long startWallNanos, List<Bucket> buckets) {}

  public record StormBucket(double tMs, long requests, long retries, double retryRate, long writeConflicts,
      double conflictRate) {}

  public record GrowthCheck(
      String metric,
      double rateAtLowTraffic,
      double rateAtHighTraffic,
      double lowTrafficPerSecond,
      double highTrafficPerSecond,
      boolean growsFasterThanTraffic) {}

  public record RetryResult(
      int attemptLimit,
      int maxAttempts,
      long requestsOverLimit,
      Map<String, Long> attemptHistogram,
      long storageAttempts,
      long requestsWithStorage,
      Double amplification,
      long writeAttempts,
      long writeConflicts,
      long conditionalWriteAttempts,
      Double conflictRate,
      Double screenedAmplification,
      Double extraStorageLoadPercent,
      long clientRetries,
      List<StormBucket> stormBuckets,
      List<GrowthCheck> growth,
      List<TimelineExample> examples) {}

  public record QueueResult(
      long arrivals,
      long requestsWithArrival,
      long arrivalsWithoutRequest,
      long requestsWithoutArrival,
      long arrivalAfterStart,
      Double queueDelayShare,
      Double p50Ms,
      Double p99Ms,
      Double maxMs,
      double targetMs,
      long requestsOverTarget,
      List<Double> bucketsOverTargetMs) {}

  public record StorageFaultResult(
      long readTimeouts,
      long readErrors,
      long writeTimeouts,
      long writeErrors,
      Map<String, Long> byException,
      long requests5xx,
      long fivexxWithStorageFault,
      long fivexxAfterConflictsOnly,
      long fivexxUnexplained,
      long faultsNotExplainedByConflicts) {}

  public record HotKey(
      String key,
      long requests,
      long reads,
      long writes,
      long writeSuccess,
      long writeConflicts,
      long lostUpdates,
      long conflictResponses,
      double trafficShare,
      double windowOverlapRate) {}

  public record HotKeyResult(long keys, List<HotKey> byTraffic, List<HotKey> byConflicts) {}

  public record LatencyDistributionBin(double fromMs, double toMs, long count) {}

  public record LatencyResult(
      long count,
      String measuredAs,
      boolean correctedForCoordinatedOmission,
      Double meanMs,
      Double p50Ms,
      Double p95Ms,
      Double p99Ms,
      Double maxMs,
      Double serviceP99Ms,
      List<LatencyDistributionBin> distribution,
      @JsonInclude(JsonInclude.Include.NON_NULL) Warmup warmup) {}

  /**
   * The requests kept out of the latency and queue-delay figures because they arrived in the
   * criteria's warm-up, the first {@code seconds} of the capture; their slowest, for the record.
   */
  public record Warmup(double seconds, long requests, Double maxLatencyMs, Double maxQueueDelayMs) {}

  public record ProbeInfo(int probeId, String name, String role, String target, int matchedMethods) {}

  public record CountersInfo(long rowsOffered, long rowsWritten, long dropped, long droppedRingFull,
      long droppedDiskLow, long droppedWriteError, long droppedSampled, long extractorErrors, long adviceErrors) {}

  public record QueueInfo(
      String path,
      String workerId,
      String host,
      Long pid,
      List<String> captureIds,
      String agentVersion,
      String jvm,
      String probeSource,
      String options,
      long rows,
      long documents,
      boolean footer,
      CountersInfo counters,
      long seqGapRows,
      long seqBackwards,
      int threads,
      List<ProbeInfo> probes,
      List<String> incompleteTails) {}

  public record InputInfo(
      List<QueueInfo> queues,
      long rows,
      Long firstWallNanos,
      Long lastWallNanos,
      double durationSeconds,
      long lateRows,
      double reorderWindowMs,
      double dedupHorizonSeconds,
      double requestHorizonSeconds,
      long openExecutionsAtEnd,
      long executionsWithoutRequestRow,
      long rowsWithImplausibleTimes,
      Transactions transactions) {}

  /**
   * Transaction boundaries (COMMIT and ROLLBACK rows, schema 4). With {@code probed} false the
   * capture has no commit or rollback probes and every write counts as applied when its row left.
   */
  public record Transactions(
      boolean probed,
      long commits,
      long rollbacks,
      long writesCommitted,
      long writesRolledBack,
      long writesWithoutBoundary,
      long writesNeverEnded,
      long commitsSeenBeforeTheirRow,
      long commitsAfterAnOpenTransaction,
      long rollbacksAfterSeenCommit) {}

  public record Completeness(
      String verdict,
      double capturedShare,
      long rowsRead,
      long rowsKnownMissing,
      long rowsDroppedByAgent,
      long rowsMissingBySequence,
      List<String> reasons) {}

  /**
   * One worker's key sampling (schema version 2): what its overhead budget made the agent do.
   *
   * @param sampled the queue holds sampling records (the agent ran with an overhead budget)
   * @param budgetPercent the budget, in percent of the process's CPU time; null if not sampled
   * @param finalLevel the last sampling level: keys whose bucket is below it were captured to the end
   * @param finalKeySpacePercent finalLevel as a share of the key space, 0-100
   * @param cuts how many times the agent lowered the level
   * @param firstCutWallNanos when it first lowered it; null if it never did
   * @param firstCutAfterSeconds the same, in seconds since the capture started (its header)
   * @param measuredPercentAtFirstCut the agent's own measured overhead that triggered the first cut
   * @param measuredPercentAtLastCut the same, for the last cut
   * @param droppedSampled rows the agent deliberately did not capture (its counter); null without counters
   */
  public record SamplingWorker(
      String workerId,
      boolean sampled,
      Double budgetPercent,
      int finalLevel,
      double finalKeySpacePercent,
      int cuts,
      Long firstCutWallNanos,
      Double firstCutAfterSeconds,
      Double measuredPercentAtFirstCut,
      Double measuredPercentAtLastCut,
      Long droppedSampled) {}

  /**
   * Key sampling of the capture and what it means for the analysis: only keys captured to the end by
   * every worker (bucket below {@code effectiveLevel}) were analyzed; the others were excluded.
   *
   * @param coversAllKeys no worker lowered its level: every key was captured to the end
   * @param effectiveLevel the lowest final level of the workers (65536 = every key)
   * @param keySpacePercent effectiveLevel as a share of the key space, 0-100
   * @param keysAnalyzed keys in the analysis (all captured to the end)
   * @param keysExcluded distinct keys of the excluded rows (partial history)
   * @param rowsExcluded rows read but left out of every detector and of rows.csv
   * @param rowsNotCaptured rows the agents deliberately did not capture (sum of droppedSampled)
   * @param statement one plain sentence for the reports
   */
  public record Sampling(
      boolean coversAllKeys,
      int effectiveLevel,
      double keySpacePercent,
      long keysAnalyzed,
      long keysExcluded,
      long rowsExcluded,
      long rowsNotCaptured,
      String statement,
      List<SamplingWorker> workers) {}

  public record Summary(
      long rows,
      long arrivals,
      long requests,
      long confirmations,
      long rejected,
      long conflictResponses,
      long errors5xx,
      long reads,
      long writes,
      long keys,
      double durationSeconds,
      Double requestsPerSecond,
      Double peakRequestsPerSecond) {}

  public record Detectors(
      LostUpdateResult lostUpdates,
      InvariantResult invariant,
      DuplicateResult duplicates,
      RetryResult retries,
      QueueResult queueing,
      StorageFaultResult storageFaults,
      HotKeyResult hotKeys) {}

  public record CauseFinding(String cause, String metric, String value, String explanation) {}

  public record RootCause(String primary, String headline, List<CauseFinding> findings, TimelineExample example) {}

  public record Mitigation(String anomaly, String mitigation, String expectedCost, Double extraStorageAttemptsPercent) {}

  public record ReleaseRow(
      String id,
      String metric,
      Double measured,
      String display,
      String criterion,
      String status,
      String evidence) {}

  public record Release(
      String decision,
      String decisionText,
      int exitCode,
      List<ReleaseRow> table,
      List<String> blockers,
      Criteria criteria) {}

  public record Trigger(String alert, String threshold, String basis) {}

  /** What the compare command uses to judge whether two captures ran the same workload. */
  public record Workload(
      long requests,
      long keys,
      double durationSeconds,
      Double requestsPerSecond,
      Double peakRequestsPerSecond,
      Double topKeyShare,
      String topKey,
      double windowOverlapRate,
      Long initialStateTotal,
      List<String> probeSources) {}
}
