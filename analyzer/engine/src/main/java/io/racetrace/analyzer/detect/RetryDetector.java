package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.model.Results.GrowthCheck;
import io.racetrace.analyzer.model.Results.RetryResult;
import io.racetrace.analyzer.model.Results.StormBucket;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retry storms and storage attempt amplification.
 *
 * <p>Amplification is the validation plan step 6: storage read-modify-write attempts per request that reached
 * storage (an attempt is one window; a request's attempts are its REQUEST row's {@code attempt},
 * else the highest attempt of its rows). The screen {@code 1 / (1 - p)}, with {@code p} the
 * conflict rate of conditional writes, is reported beside it. Retry and conflict rates are
 * compared between the quietest and the busiest quarter of the time buckets: a rate that is higher
 * at high traffic grows faster than traffic (contention, not just load).
 *
 * <p>Memory: a fixed attempt histogram and a few examples.
 */
public final class RetryDetector implements Detector<RetryDetector> {
  private final int limit;
  private final long[] attemptHist = new long[65];
  private int maxAttempts;
  private long overLimit;
  private long storageAttempts;
  private long requestsWithStorage;
  private long writeAttempts;
  private long writeConflicts;
  private long conditionalWrites;
  private final List<Exec> worst = new ArrayList<>();

  public RetryDetector(int attemptLimit) {
    this.limit = attemptLimit;
  }

  public void onWrite(Ev w, TimeBuckets buckets) {
    writeAttempts++;
    buckets.add(TimeBuckets.WRITE_ATTEMPTS, w.endWall, 1);
    if (w.has(TraceSchema.F_EXPECTED_VERSION)) {
      conditionalWrites++;
    }
    if (w.result == Result.CONFLICT) {
      writeConflicts++;
      buckets.add(TimeBuckets.WRITE_CONFLICTS, w.endWall, 1);
    }
  }

  /** The examples' order: most attempts first, then the earliest completed. */
  static final Comparator<Exec> WORST = Comparator.comparingInt(Exec::attempts).reversed()
      .thenComparingLong(x -> x.request.seq);

  public void onExecution(Exec exec, boolean clientRetry, TimeBuckets buckets) {
    Ev request = exec.request;
    int attempts = exec.attempts();
    attemptHist[Math.min(attempts, attemptHist.length - 1)]++;
    maxAttempts = Math.max(maxAttempts, attempts);
    if (exec.hasStorage()) {
      requestsWithStorage++;
      storageAttempts += attempts;
      buckets.add(TimeBuckets.STORAGE_ATTEMPTS, request.endWall, attempts);
    }
    long retries = Math.max(0, attempts - 1) + (clientRetry ? 1 : 0);
    if (retries > 0) {
      buckets.add(TimeBuckets.RETRIES, request.endWall, retries);
    }
    if (attempts > limit) {
      overLimit++;
      keepWorst(worst, exec);
    }
  }

  private static void keepWorst(List<Exec> worst, Exec exec) {
    if (worst.size() == LostUpdateDetector.MAX_EXAMPLES) {
      if (WORST.compare(exec, worst.get(worst.size() - 1)) >= 0) {
        return;
      }
      worst.remove(worst.size() - 1);
    }
    int i = 0;
    while (i < worst.size() && WORST.compare(worst.get(i), exec) <= 0) {
      i++;
    }
    worst.add(i, exec);
  }

  @Override
  public void merge(RetryDetector o) {
    for (int i = 0; i < attemptHist.length; i++) {
      attemptHist[i] += o.attemptHist[i];
    }
    maxAttempts = Math.max(maxAttempts, o.maxAttempts);
    overLimit += o.overLimit;
    storageAttempts += o.storageAttempts;
    requestsWithStorage += o.requestsWithStorage;
    writeAttempts += o.writeAttempts;
    writeConflicts += o.writeConflicts;
    conditionalWrites += o.conditionalWrites;
    for (Exec x : o.worst) {
      keepWorst(worst, x);
    }
  }

  public long overLimit() {
    return overLimit;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Double amplification() {
    return requestsWithStorage == 0 ? null : (double) storageAttempts / requestsWithStorage;
  }

  /** The executions over the attempt limit kept as evidence (at most {@code MAX_EXAMPLES}), most attempts first. */
  public List<Exec> evidence() {
    return List.copyOf(worst);
  }

  public int attemptLimit() {
    return limit;
  }

  /** @param examples the timeline examples made of {@link #evidence()} (the report's words) */
  public RetryResult result(TimeBuckets b, long t0, long clientRetries, List<TimelineExample> examples) {
    Map<String, Long> hist = new LinkedHashMap<>();
    for (int i = 0; i < attemptHist.length; i++) {
      if (attemptHist[i] > 0) {
        hist.put(i == attemptHist.length - 1 ? i + "+" : Integer.toString(i), attemptHist[i]);
      }
    }
    Double p = null;
    if (conditionalWrites > 0) {
      p = (double) writeConflicts / conditionalWrites;
    } else if (writeAttempts > 0) {
      p = (double) writeConflicts / writeAttempts;
    }
    Double screen = p == null || p >= 1 ? null : 1 / (1 - p);
    Double amp = amplification();
    return new RetryResult(limit, maxAttempts, overLimit, hist, storageAttempts, requestsWithStorage, amp,
        writeAttempts, writeConflicts, conditionalWrites, p, screen, amp == null ? null : (amp - 1) * 100,
        clientRetries, storms(b, t0), growth(b), examples);
  }

  /** Buckets whose retry rate is more than twice the capture's, with at least ten retries. */
  static List<StormBucket> storms(TimeBuckets b, long t0) {
    long req = 0;
    long ret = 0;
    for (int i = 0; i < b.used(); i++) {
      req += b.get(TimeBuckets.REQUESTS, i);
      ret += b.get(TimeBuckets.RETRIES, i);
    }
    List<StormBucket> out = new ArrayList<>();
    if (req == 0) {
      return out;
    }
    double overall = (double) ret / req;
    for (int i = 0; i < b.used(); i++) {
      long r = b.get(TimeBuckets.REQUESTS, i);
      long x = b.get(TimeBuckets.RETRIES, i);
      if (r > 0 && x >= 10 && (double) x / r > 2 * overall) {
        long wa = b.get(TimeBuckets.WRITE_ATTEMPTS, i);
        long wc = b.get(TimeBuckets.WRITE_CONFLICTS, i);
        out.add(new StormBucket((b.start() + i * b.width() - t0) / 1e6, r, x, (double) x / r, wc,
            wa == 0 ? 0 : (double) wc / wa));
      }
    }
    return out;
  }

  /** Retry and conflict rates in the quietest vs the busiest quarter of buckets with traffic. */
  static List<GrowthCheck> growth(TimeBuckets b) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < b.used(); i++) {
      if (b.get(TimeBuckets.REQUESTS, i) > 0) {
        idx.add(i);
      }
    }
    List<GrowthCheck> out = new ArrayList<>();
    if (idx.size() < 4) {
      return out;
    }
    idx.sort(Comparator.comparingLong(i -> b.get(TimeBuckets.REQUESTS, i)));
    int q = idx.size() / 4;
    List<Integer> low = idx.subList(0, q);
    List<Integer> high = idx.subList(idx.size() - q, idx.size());
    double secs = b.width() / 1e9;
    out.add(check("retries per request", b, low, high, TimeBuckets.RETRIES, TimeBuckets.REQUESTS, secs));
    out.add(check("write conflicts per write", b, low, high, TimeBuckets.WRITE_CONFLICTS, TimeBuckets.WRITE_ATTEMPTS,
        secs));
    return out;
  }

  private static GrowthCheck check(String name, TimeBuckets b, List<Integer> low, List<Integer> high, int num, int den,
      double secs) {
    double lr = rate(b, low, num, den);
    double hr = rate(b, high, num, den);
    double lt = sum(b, low, TimeBuckets.REQUESTS) / (low.size() * secs);
    double ht = sum(b, high, TimeBuckets.REQUESTS) / (high.size() * secs);
    // Faster than traffic: the per-request (per-write) rate is at least 1.5x higher in the busiest
    // buckets than in the quietest; rates under 1 % are treated as noise.
    boolean faster = ht > lt && hr > 0.01 && hr >= 1.5 * lr;
    return new GrowthCheck(name, lr, hr, lt, ht, faster);
  }

  private static double rate(TimeBuckets b, List<Integer> is, int num, int den) {
    double d = sum(b, is, den);
    return d == 0 ? 0 : sum(b, is, num) / d;
  }

  private static double sum(TimeBuckets b, List<Integer> is, int field) {
    double s = 0;
    for (int i : is) {
      s += b.get(field, i);
    }
    return s;
  }
}
