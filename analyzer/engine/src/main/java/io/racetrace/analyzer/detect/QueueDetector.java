package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.model.Results.QueueResult;
import io.racetrace.analyzer.read.Ev;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Queueing: the delay between a request's acceptance (its ARRIVAL row's end, paired with it by the
 * correlator) and the start of its REQUEST row on a worker; its share of end-to-end latency; and
 * the time buckets whose largest queue delay exceeds the target. A request of the warm-up is shown
 * in the time buckets but kept out of the figures judged (percentiles, share, requests over
 * target), which keep only its maximum apart.
 *
 * <p>Memory: one HdrHistogram and a few counters.
 */
public final class QueueDetector implements Detector<QueueDetector> {
  private final long targetNanos;
  private final Histogram queueDelayMicros = new Histogram(3);

  private long arrivals;
  private long matched;
  private long requestsWithoutArrival;
  private long arrivalAfterStart;
  private long overTarget;
  private long warmupMaxNanos = -1;
  // Sums in nanoseconds, as longs: exact, so a merged run adds up to the same share.
  private long sumQueue;
  private long sumTotal;

  public QueueDetector(long targetNanos) {
    this.targetNanos = targetNanos;
  }

  public void onArrival(Ev a, TimeBuckets buckets) {
    arrivals++;
    buckets.add(TimeBuckets.ARRIVALS, a.endWall, 1);
  }

  /** Records the queue delay of a completed request; returns it in nanoseconds, or -1. */
  public long onExecution(Exec x, TimeBuckets buckets) {
    return onExecution(x, buckets, false);
  }

  /** As above; a request of the warm-up ({@code warmup}) goes to the time buckets and the warm-up maximum only. */
  public long onExecution(Exec x, TimeBuckets buckets, boolean warmup) {
    Ev request = x.request;
    if (x.arrivalWall == Long.MIN_VALUE) {
      requestsWithoutArrival++;
      return -1;
    }
    long qd = request.startWall - x.arrivalWall;
    if (qd < 0) {
      arrivalAfterStart++; // clock anomaly: counted, taken as zero
      qd = 0;
    }
    buckets.add(TimeBuckets.QD_SUM, request.endWall, qd);
    buckets.add(TimeBuckets.QD_COUNT, request.endWall, 1);
    buckets.max(TimeBuckets.QD_MAX, request.endWall, qd);
    if (warmup) {
      warmupMaxNanos = Math.max(warmupMaxNanos, qd);
      return qd;
    }
    matched++;
    queueDelayMicros.recordValue(qd / 1000);
    sumQueue += qd;
    sumTotal += request.endWall - x.arrivalWall;
    if (qd > targetNanos) {
      overTarget++;
      buckets.add(TimeBuckets.QD_OVER_TARGET, request.endWall, 1);
    }
    return qd;
  }

  @Override
  public void merge(QueueDetector o) {
    queueDelayMicros.add(o.queueDelayMicros);
    arrivals += o.arrivals;
    matched += o.matched;
    requestsWithoutArrival += o.requestsWithoutArrival;
    arrivalAfterStart += o.arrivalAfterStart;
    overTarget += o.overTarget;
    warmupMaxNanos = Math.max(warmupMaxNanos, o.warmupMaxNanos);
    sumQueue += o.sumQueue;
    sumTotal += o.sumTotal;
  }

  public Double maxMs() {
    return matched == 0 ? null : queueDelayMicros.getMaxValue() / 1e3;
  }

  /** The largest queue delay of the warm-up's requests, ms; {@code null} if none had an arrival. */
  public Double warmupMaxMs() {
    return warmupMaxNanos < 0 ? null : warmupMaxNanos / 1e6;
  }

  public long matched() {
    return matched;
  }

  /** As below, with no warm-up. */
  public QueueResult result(TimeBuckets b, long t0, long arrivalsWithoutRequest) {
    return result(b, t0, arrivalsWithoutRequest, Long.MIN_VALUE);
  }

  /**
   * @param arrivalsWithoutRequest the correlator's count of arrivals never followed by their request
   * @param warmupEnd the wall time the last queue's warm-up ends: earlier time buckets (which show
   *     the warm-up's queue delays) are not counted over target
   */
  public QueueResult result(TimeBuckets b, long t0, long arrivalsWithoutRequest, long warmupEnd) {
    List<Double> over = new ArrayList<>();
    for (int i = 0; i < b.used(); i++) {
      if (b.start() + i * b.width() < warmupEnd) {
        continue;
      }
      if (b.get(TimeBuckets.QD_COUNT, i) > 0 && b.get(TimeBuckets.QD_MAX, i) > targetNanos) {
        over.add((b.start() + i * b.width() - t0) / 1e6);
      }
    }
    boolean any = matched > 0;
    return new QueueResult(arrivals, matched, arrivalsWithoutRequest, requestsWithoutArrival, arrivalAfterStart,
        any && sumTotal > 0 ? (double) sumQueue / sumTotal : null,
        any ? queueDelayMicros.getValueAtPercentile(50) / 1e3 : null,
        any ? queueDelayMicros.getValueAtPercentile(99) / 1e3 : null,
        any ? queueDelayMicros.getMaxValue() / 1e3 : null,
        targetNanos / 1e6, overTarget, over);
  }
}
