package io.racetrace.workload;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The reconciliation of a run: what the clients saw against what the store holds. Field meanings
 * are documented in {@code workload/GROUND_TRUTH.md}; keep the two in step.
 */
@JsonPropertyOrder(alphabetic = false)
public record GroundTruth(
    String schema,
    String profile,
    long workloadSeed,
    String workloadFingerprint,
    String scheduleDigest,
    List<String> targets,
    String serviceMode,
    String startedAt,
    double scheduledRatePerSecond,
    double durationSeconds,
    Requests requests,
    Map<String, Long> attemptStatus,
    Map<String, Long> finalStatus,
    Map<String, Long> outcomes,
    Rates rates,
    Latency latencyMillis,
    Latency lastAttemptLatencyMillis,
    List<Sku> skus,
    Totals totals,
    boolean invariantHolds,
    List<JsonNode> server,
    List<Map<String, Object>> actions) {

  public static final String SCHEMA = "racetrace.workload.ground-truth/1";

  public record Requests(
      long planned, long sent, long duplicateSends, long attempts, long retries, long completed,
      long unfinished, double elapsedSeconds, double throughputPerSecond, double confirmedPerSecond,
      double maxSendLagMillis) {}

  public record Rates(
      double fiveXxRate, double failedRequestRate, double conflictRate, double soldOutRate,
      long conflicts, long timeouts, long transportErrors) {}

  public record Latency(long count, double mean, double p50, double p95, double p99, double p999, double max) {
    static Latency of(Histogram micros) {
      return new Latency(micros.getTotalCount(), ms(micros.getMean()),
          ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(95)),
          ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
    }

    private static double ms(double micros) {
      return Math.round(micros) / 1_000.0;
    }
  }

  /** One sku: {@code mismatch = confirmed - (initial - remaining)}. */
  public record Sku(
      String sku, long initial, long confirmed, long confirmedResponses, long remaining, long consumed,
      long mismatch, long duplicateConfirmations, long unknownOutcome) {}

  public record Totals(
      long initial, long confirmed, long confirmedResponses, long remaining, long consumed, long mismatch,
      long absoluteMismatch, long duplicateConfirmations, long unknownOutcome, long negativeSkus) {}

  /** Per request id: did any copy confirm, how many fresh (non-replayed) confirmations, any unknown copy. */
  private static final class IdState {
    String sku;
    int confirmedResponses;
    int freshConfirmations;
    boolean unknown;
  }

  static GroundTruth compute(
      Schedule schedule, List<URI> targets, String serviceMode, OpenLoopSender.Result run,
      Map<String, Long> initial, Map<String, Long> remaining, List<JsonNode> serverStats) {
    WorkloadProfile p = schedule.profile();
    Map<String, IdState> ids = new HashMap<>();
    Map<String, Long> finalStatus = new TreeMap<>();
    Map<String, Long> outcomes = new TreeMap<>();
    long fiveXxAttempts = 0;
    long totalAttempts = 0;
    for (Map.Entry<String, Long> e : run.attemptStatus().entrySet()) {
      totalAttempts += e.getValue();
      if (e.getKey().startsWith("5")) {
        fiveXxAttempts += e.getValue();
      }
    }
    long failed = 0;
    for (RequestRecord r : run.records()) {
      finalStatus.merge(r.status() == 0 ? r.error() : String.valueOf(r.status()), 1L, Long::sum);
      if (r.outcome() != null) {
        outcomes.merge(r.outcome(), 1L, Long::sum);
      }
      IdState s = ids.computeIfAbsent(r.requestId(), k -> new IdState());
      s.sku = r.sku();
      if ("CONFIRMED".equals(r.outcome())) {
        s.confirmedResponses++;
        if (!r.replayed()) {
          s.freshConfirmations++;
        }
      } else if (r.failed()) {
        s.unknown = true;
        failed++;
      }
    }

    Map<String, long[]> perSku = new LinkedHashMap<>(); // confirmed ids, responses, duplicates, unknown
    for (String sku : initial.keySet()) {
      perSku.put(sku, new long[4]);
    }
    for (IdState s : ids.values()) {
      long[] a = perSku.computeIfAbsent(s.sku, k -> new long[4]);
      if (s.confirmedResponses > 0) {
        a[0]++;
        a[1] += s.confirmedResponses;
        a[2] += Math.max(0, s.freshConfirmations - 1);
      } else if (s.unknown) {
        a[3]++;
      }
    }
    List<Sku> skus = new ArrayList<>();
    long ti = 0, tc = 0, tr = 0, trem = 0, tcons = 0, tm = 0, tabs = 0, td = 0, tu = 0, neg = 0;
    for (Map.Entry<String, long[]> e : perSku.entrySet()) {
      long i0 = initial.getOrDefault(e.getKey(), 0L);
      long rem = remaining.getOrDefault(e.getKey(), 0L);
      long[] a = e.getValue();
      long consumed = i0 - rem;
      long mismatch = a[0] - consumed;
      skus.add(new Sku(e.getKey(), i0, a[0], a[1], rem, consumed, mismatch, a[2], a[3]));
      ti += i0; tc += a[0]; tr += a[1]; trem += rem; tcons += consumed; tm += mismatch;
      tabs += Math.abs(mismatch); td += a[2]; tu += a[3];
      if (rem < 0) {
        neg++;
      }
    }
    Totals totals = new Totals(ti, tc, tr, trem, tcons, tm, tabs, td, tu, neg);

    long sent = run.records().size();
    double elapsed = run.elapsedNanos() / 1e9;
    long conflicts = outcomes.getOrDefault("CONFLICT", 0L);
    Requests requests = new Requests(
        schedule.requests().size(), schedule.sends(), schedule.sends() - schedule.requests().size(),
        run.attempts(), run.retries(), sent, run.unfinished(), round(elapsed, 3),
        round(elapsed > 0 ? sent / elapsed : 0, 1), round(elapsed > 0 ? tr / elapsed : 0, 1),
        round(run.maxSendLagNanos() / 1e6, 3));
    Rates rates = new Rates(
        ratio(fiveXxAttempts, totalAttempts), ratio(failed, sent), ratio(conflicts, sent),
        ratio(outcomes.getOrDefault("SOLD_OUT", 0L), sent), conflicts, run.timeouts(), run.transportErrors());
    List<String> targetNames = targets.stream().map(URI::toString).toList();
    return new GroundTruth(
        SCHEMA, p.name(), p.seed(), Profiles.fingerprint(p), schedule.digest(), targetNames, serviceMode,
        Instant.ofEpochMilli(run.startEpochMillis()).toString(), round(schedule.requests().size() / p.durationSeconds(), 1),
        p.durationSeconds(), requests, run.attemptStatus(), finalStatus, outcomes, rates,
        Latency.of(run.latencyMicros()), Latency.of(run.lastAttemptMicros()), skus, totals,
        tabs == 0 && neg == 0 && run.unfinished() == 0, serverStats, run.actions());
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0.0 : round((double) a / b, 6);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** A few human-readable lines. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("workload %s seed=%d fingerprint=%s%n", profile, workloadSeed, workloadFingerprint));
    sb.append(String.format("schedule %s: %d planned (%d duplicate sends) at %.1f req/s for %.1f s; mode=%s%n",
        scheduleDigest, requests.planned(), requests.duplicateSends(), scheduledRatePerSecond, durationSeconds, serviceMode));
    sb.append(String.format("sent %d, attempts %d, retries %d, unfinished %d, elapsed %.2f s, throughput %.1f/s, max send lag %.1f ms%n",
        requests.sent(), requests.attempts(), requests.retries(), requests.unfinished(), requests.elapsedSeconds(),
        requests.throughputPerSecond(), requests.maxSendLagMillis()));
    sb.append(String.format("latency from intended time (ms): p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
        latencyMillis.p50(), latencyMillis.p95(), latencyMillis.p99(), latencyMillis.max()));
    sb.append(String.format("final status %s; attempt status %s; outcomes %s%n", finalStatus, attemptStatus, outcomes));
    sb.append(String.format("5xx rate %.4f%% of attempts; failed requests %.4f%%; conflicts %d (%.4f%%)%n",
        rates.fiveXxRate() * 100, rates.failedRequestRate() * 100, rates.conflicts(), rates.conflictRate() * 100));
    sb.append(String.format("invariant: I0 %d, confirmed %d, remaining %d, consumed %d, mismatch %d (|sum| %d), "
        + "duplicate confirmations %d, unknown outcome %d -> %s%n",
        totals.initial(), totals.confirmed(), totals.remaining(), totals.consumed(), totals.mismatch(),
        totals.absoluteMismatch(), totals.duplicateConfirmations(), totals.unknownOutcome(),
        invariantHolds ? "HOLDS" : "VIOLATED"));
    for (Sku s : skus) {
      if (s.mismatch() != 0 || s.duplicateConfirmations() != 0) {
        sb.append(String.format("  %s: I0 %d confirmed %d remaining %d mismatch %d duplicates %d unknown %d%n",
            s.sku(), s.initial(), s.confirmed(), s.remaining(), s.mismatch(), s.duplicateConfirmations(), s.unknownOutcome()));
      }
    }
    return sb.toString();
  }
}
