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
 * the time buckets whose largest queue delay exceeds the target.
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
    matched++;
    queueDelayMicros.recordValue(qd / 1000);
    sumQueue += qd;
    sumTotal += request.endWall - x.arrivalWall;
    buckets.add(TimeBuckets.QD_SUM, request.endWall, qd);
    buckets.add(TimeBuckets.QD_COUNT, request.endWall, 1);
    buckets.max(TimeBuckets.QD_MAX, request.endWall, qd);
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
    sumQueue += o.sumQueue;
    sumTotal += o.sumTotal;
  }

  public Double maxMs() {
    return matched == 0 ? null : queueDelayMicros.getMaxValue() / 1e3;
  }

  public long matched() {
    return matched;
  }

  /** @param arrivalsWithoutRequest the correlator's count of arrivals never followed by their request */
  public QueueResult result(TimeBuckets b, long t0, long arrivalsWithoutRequest) {
    List<Double> over = new ArrayList<>();
    for (int i = 0; i < b.used(); i++) {
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
