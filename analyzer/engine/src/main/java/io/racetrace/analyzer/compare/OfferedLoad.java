package io.racetrace.analyzer.compare;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the load generator offered in a run, from its own {@code ground-truth.json}: the workload's
 * profile, seed and fingerprint, the digest of its send schedule (send times and keys), how many
 * requests it planned, and how far it fell behind that schedule. Two runs with the same schedule
 * digest were offered the same workload, whatever throughput each service then managed; the rates
 * the captures show differ with the service's speed, so they do not say whether the load was the
 * same.
 *
 * @param maxSendLagMillis the most a request was sent after its planned time; {@code null} if not recorded
 */
public record OfferedLoad(String profile, Long seed, String fingerprint, String scheduleDigest, long planned,
    Double maxSendLagMillis) {
  /** A run whose generator fell behind its schedule by more than this did not offer that schedule. */
  public static final double MAX_SEND_LAG_MILLIS = 100;

  /** The offered load of a ground truth, or {@code null} if there is none or it records no schedule digest. */
  public static OfferedLoad of(JsonNode groundTruth) {
    if (groundTruth == null || !groundTruth.path("scheduleDigest").isTextual()) {
      return null;
    }
    JsonNode req = groundTruth.path("requests");
    return new OfferedLoad(text(groundTruth, "profile"),
        groundTruth.path("workloadSeed").isIntegralNumber() ? groundTruth.path("workloadSeed").asLong() : null,
        text(groundTruth, "workloadFingerprint"), groundTruth.path("scheduleDigest").asText(),
        req.path("planned").asLong(0),
        req.path("maxSendLagMillis").isNumber() ? req.path("maxSendLagMillis").asDouble() : null);
  }

  private static String text(JsonNode n, String field) {
    return n.path(field).isTextual() ? n.path(field).asText() : null;
  }

  /** Same schedule, same number of planned requests. */
  boolean sameScheduleAs(OfferedLoad o) {
    return scheduleDigest.equals(o.scheduleDigest) && planned == o.planned;
  }

  /** The generator fell behind its schedule beyond {@link #MAX_SEND_LAG_MILLIS}. */
  public boolean fellBehind() {
    return maxSendLagMillis != null && maxSendLagMillis > MAX_SEND_LAG_MILLIS;
  }
}
