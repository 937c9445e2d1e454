package io.racetrace.analyzer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Release criteria: the table of the validation plan, steps 7 and 8, one {@link Limit} per metric. Missing
 * fields take the defaults of {@code criteria-default.yaml} (the validation plan's values), so a criteria file
 * only needs the lines it changes. Immutable.
 *
 * @param attemptsPerRequest the retry policy's limit on read-modify-write attempts per request
 * @param expectedIntervalMs if set, latency percentiles are corrected for coordinated omission
 *     with this expected interval between requests of one client (HdrHistogram)
 * @param warmupSeconds if set, requests that arrived within this many seconds of the capture's
 *     first row are kept out of the latency and queue-delay verdicts (reported apart): the JIT
 *     recompiles woven methods after an attach, as a load tester's warm-up or calibration period
 */
@JsonPropertyOrder({"schemaVersion", "invariantMismatch", "p99LatencyMs", "errorRate5xxPercent",
    "conflictResponsesPercent", "duplicateConfirmations", "maxQueueDelayMs", "retryAmplification",
    "attemptsPerRequest", "expectedIntervalMs", "warmupSeconds"})
public record Criteria(
    int schemaVersion,
    Limit invariantMismatch,
    Limit p99LatencyMs,
    Limit errorRate5xxPercent,
    Limit conflictResponsesPercent,
    Limit duplicateConfirmations,
    Limit maxQueueDelayMs,
    Limit retryAmplification,
    Limit attemptsPerRequest,
    Double expectedIntervalMs,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double warmupSeconds) {

  public static final int SCHEMA_VERSION = 1;

  /** The validation plan's values; the same as {@code criteria-default.yaml} (a test checks they agree). */
  public static final Criteria DEFAULTS = new Criteria(
      SCHEMA_VERSION,
      Limit.max(0),
      Limit.below(150),
      Limit.below(0.1),
      Limit.below(25).withConditionalAbove(10),
      Limit.max(0),
      Limit.below(50),
      Limit.below(1.5).withConditionalAbove(1.1),
      Limit.max(3),
      null,
      null);

  @JsonCreator
  static Criteria fromJson(
      @JsonProperty("schemaVersion") Integer schemaVersion,
      @JsonProperty("invariantMismatch") Limit invariantMismatch,
      @JsonProperty("p99LatencyMs") Limit p99LatencyMs,
      @JsonProperty("errorRate5xxPercent") Limit errorRate5xxPercent,
      @JsonProperty("conflictResponsesPercent") Limit conflictResponsesPercent,
      @JsonProperty("duplicateConfirmations") Limit duplicateConfirmations,
      @JsonProperty("maxQueueDelayMs") Limit maxQueueDelayMs,
      @JsonProperty("retryAmplification") Limit retryAmplification,
      @JsonProperty("attemptsPerRequest") Limit attemptsPerRequest,
      @JsonProperty("expectedIntervalMs") Double expectedIntervalMs,
      @JsonProperty("warmupSeconds") Double warmupSeconds) {
    return new Criteria(schemaVersion == null ? SCHEMA_VERSION : schemaVersion, invariantMismatch, p99LatencyMs,
        errorRate5xxPercent, conflictResponsesPercent, duplicateConfirmations, maxQueueDelayMs,
        retryAmplification, attemptsPerRequest, expectedIntervalMs, warmupSeconds);
  }

  public Criteria {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException("schemaVersion " + schemaVersion + " is not supported (this analyzer reads "
          + SCHEMA_VERSION + ")");
    }
    if (expectedIntervalMs != null && !(expectedIntervalMs > 0)) {
      throw new IllegalArgumentException("expectedIntervalMs must be > 0");
    }
    if (warmupSeconds != null && !(warmupSeconds >= 0 && warmupSeconds < 86_400)) {
      throw new IllegalArgumentException("warmupSeconds must be >= 0 and under a day");
    }
    Criteria d = DEFAULTS;
    if (d != null) { // null only while DEFAULTS itself is being built
      invariantMismatch = or(invariantMismatch, d.invariantMismatch);
      p99LatencyMs = or(p99LatencyMs, d.p99LatencyMs);
      errorRate5xxPercent = or(errorRate5xxPercent, d.errorRate5xxPercent);
      conflictResponsesPercent = or(conflictResponsesPercent, d.conflictResponsesPercent);
      duplicateConfirmations = or(duplicateConfirmations, d.duplicateConfirmations);
      maxQueueDelayMs = or(maxQueueDelayMs, d.maxQueueDelayMs);
      retryAmplification = or(retryAmplification, d.retryAmplification);
      attemptsPerRequest = or(attemptsPerRequest, d.attemptsPerRequest);
    }
  }

  private static Limit or(Limit v, Limit d) {
    return v != null ? v : d;
  }

  /** These criteria with another warm-up ({@code null} or 0: none). */
  public Criteria withWarmupSeconds(Double seconds) {
    return new Criteria(schemaVersion, invariantMismatch, p99LatencyMs, errorRate5xxPercent, conflictResponsesPercent,
        duplicateConfirmations, maxQueueDelayMs, retryAmplification, attemptsPerRequest, expectedIntervalMs, seconds);
  }

  /** The warm-up in nanoseconds; 0 if none. */
  public long warmupNanos() {
    return warmupSeconds == null ? 0 : Math.round(warmupSeconds * 1e9);
  }

  /** The retry policy's attempt limit as a whole number. */
  public int maxAttempts() {
    return (int) Math.floor(attemptsPerRequest.max() != null ? attemptsPerRequest.bound()
        : Math.ceil(attemptsPerRequest.bound()) - 1);
  }
}
