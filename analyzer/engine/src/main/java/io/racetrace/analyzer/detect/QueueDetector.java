package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.model.Results.QueueResult;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.util.LongLongMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Queueing: the delay between a request's acceptance (its ARRIVAL row's end) and the start of its
 * REQUEST row on a worker, matched by request id within one JVM; its share of end-to-end latency;
 * and the time buckets whose largest queue delay exceeds the target.
 *
 * <p>Memory: one map entry per request accepted but not yet started (request rate x queue delay);
 * arrivals never followed by their request within the request horizon are evicted and counted.
 * A second pending arrival with the same id (a client retry while the first still waits) goes to a
 * small overflow list, so arrivals of one id are matched first in, first out.
 */
public final class QueueDetector {
  private final long targetNanos;
  private final LongLongMap[] pending;
  private final List<Map<Long, ArrayDeque<Long>>> overflow = new ArrayList<>();
  private final Histogram queueDelayMicros = new Histogram(3);

  private long arrivals;
  private long matched;
  private long unmatchedArrivals;
  private long requestsWithoutArrival;
  private long arrivalAfterStart;
  private long overTarget;
  private double sumQueue;
  private double sumTotal;

  public QueueDetector(int sources, long targetNanos) {
    this.targetNanos = targetNanos;
    this.pending = new LongLongMap[sources];
    for (int i = 0; i < sources; i++) {
      pending[i] = new LongLongMap(1024);
      overflow.add(new HashMap<>());
    }
  }

  public void onArrival(Ev a, TimeBuckets buckets) {
    arrivals++;
    buckets.add(TimeBuckets.ARRIVALS, a.endWall, 1);
    if (a.reqHash == 0) {
      return;
    }
    if (pending[a.source].putIfAbsent(a.reqHash, a.endWall, Long.MIN_VALUE) != Long.MIN_VALUE) {
      overflow.get(a.source).computeIfAbsent(a.reqHash, k -> new ArrayDeque<>()).add(a.endWall);
    }
  }

  /**
   * The arrival time of {@code request}, removing it from the pending arrivals, or {@code
   * Long.MIN_VALUE} if none was seen.
   */
  public long takeArrival(Ev request) {
    if (request.reqHash == 0) {
      return Long.MIN_VALUE;
    }
    LongLongMap p = pending[request.source];
    long t = p.remove(request.reqHash, Long.MIN_VALUE);
    if (t != Long.MIN_VALUE) {
      Map<Long, ArrayDeque<Long>> o = overflow.get(request.source);
      if (!o.isEmpty()) {
        ArrayDeque<Long> more = o.get(request.reqHash);
        if (more != null) {
          p.put(request.reqHash, more.poll());
          if (more.isEmpty()) {
            o.remove(request.reqHash);
          }
        }
      }
    }
    return t;
  }

  /** Records the queue delay of a completed request; returns it in nanoseconds, or -1. */
  public long onRequest(Ev request, long arrivalWall, TimeBuckets buckets) {
    if (arrivalWall == Long.MIN_VALUE) {
      requestsWithoutArrival++;
      return -1;
    }
    long qd = request.startWall - arrivalWall;
    if (qd < 0) {
      arrivalAfterStart++; // clock anomaly: counted, taken as zero
      qd = 0;
    }
    matched++;
    queueDelayMicros.recordValue(qd / 1000);
    sumQueue += qd;
    sumTotal += request.endWall - arrivalWall;
    buckets.add(TimeBuckets.QD_SUM, request.endWall, qd);
    buckets.add(TimeBuckets.QD_COUNT, request.endWall, 1);
    buckets.max(TimeBuckets.QD_MAX, request.endWall, qd);
    if (qd > targetNanos) {
      overTarget++;
      buckets.add(TimeBuckets.QD_OVER_TARGET, request.endWall, 1);
    }
    return qd;
  }

  /** Drops arrivals older than {@code before}: requests that never started (e.g. shed with 503). */
  public void evict(long before) {
    for (int s = 0; s < pending.length; s++) {
      unmatchedArrivals += pending[s].removeValuesBelow(before);
      overflow.get(s).values().forEach(d -> {
        while (!d.isEmpty() && d.peek() < before) {
          d.poll();
          unmatchedArrivals++;
        }
      });
      overflow.get(s).values().removeIf(ArrayDeque::isEmpty);
    }
  }

  public Double maxMs() {
    return matched == 0 ? null : queueDelayMicros.getMaxValue() / 1e3;
  }

  public long matched() {
    return matched;
  }

  public QueueResult result(TimeBuckets b, long t0) {
    evict(Long.MAX_VALUE);
    List<Double> over = new ArrayList<>();
    for (int i = 0; i < b.used(); i++) {
      if (b.get(TimeBuckets.QD_COUNT, i) > 0 && b.get(TimeBuckets.QD_MAX, i) > targetNanos) {
        over.add((b.start() + i * b.width() - t0) / 1e6);
      }
    }
    boolean any = matched > 0;
    return new QueueResult(arrivals, matched, unmatchedArrivals, requestsWithoutArrival, arrivalAfterStart,
        any && sumTotal > 0 ? sumQueue / sumTotal : null,
        any ? queueDelayMicros.getValueAtPercentile(50) / 1e3 : null,
        any ? queueDelayMicros.getValueAtPercentile(99) / 1e3 : null,
        any ? queueDelayMicros.getMaxValue() / 1e3 : null,
        targetNanos / 1e6, overTarget, over);
  }
}
