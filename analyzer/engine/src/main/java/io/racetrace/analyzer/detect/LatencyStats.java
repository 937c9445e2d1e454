package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.Results.LatencyDistributionBin;
import io.racetrace.analyzer.model.Results.LatencyResult;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Latency percentiles with HdrHistogram (microsecond resolution, 3 significant digits).
 * End-to-end latency is queue delay plus service time when the request's arrival was seen, else
 * the REQUEST row's own duration. With an expected interval between one client's requests the
 * percentiles are corrected for coordinated omission ({@code copyCorrectedForCoordinatedOmission}).
 *
 * <p>Requests of the warm-up ({@link #recordWarmup}) are only counted, with their maximum: the
 * percentiles are those of the rest.
 *
 * <p>Memory: two auto-resizing histograms, a few tens of KB.
 */
public final class LatencyStats implements Detector<LatencyStats> {
  private final Histogram endToEnd = new Histogram(3);
  private final Histogram service = new Histogram(3);
  private long withArrival;
  private final Long expectedIntervalMicros;
  private long warmupRequests;
  private long warmupMaxMicros = -1;

  public LatencyStats(Double expectedIntervalMs) {
    this.expectedIntervalMicros = expectedIntervalMs == null ? null : Math.round(expectedIntervalMs * 1000);
  }

  public void record(long serviceNanos, long queueDelayNanos) {
    long s = Math.max(0, serviceNanos) / 1000;
    service.recordValue(s);
    if (queueDelayNanos >= 0) {
      withArrival++;
      endToEnd.recordValue(s + queueDelayNanos / 1000);
    } else {
      endToEnd.recordValue(s);
    }
  }

  /** A request of the warm-up: counted apart, kept out of the percentiles. */
  public void recordWarmup(long serviceNanos, long queueDelayNanos) {
    warmupRequests++;
    warmupMaxMicros = Math.max(warmupMaxMicros, (Math.max(0, serviceNanos) + Math.max(0, queueDelayNanos)) / 1000);
  }

  @Override
  public void merge(LatencyStats o) {
    endToEnd.add(o.endToEnd);
    service.add(o.service);
    withArrival += o.withArrival;
    warmupRequests += o.warmupRequests;
    warmupMaxMicros = Math.max(warmupMaxMicros, o.warmupMaxMicros);
  }

  /** The result without a warm-up section. */
  public LatencyResult result() {
    return result(0, null);
  }

  /**
   * @param warmupSeconds the criteria's warm-up (0: none, and no warm-up section)
   * @param warmupMaxQueueDelayMs the queue detector's largest warm-up queue delay
   */
  public LatencyResult result(double warmupSeconds, Double warmupMaxQueueDelayMs) {
    Results.Warmup w = warmupSeconds <= 0 ? null : new Results.Warmup(warmupSeconds, warmupRequests,
        warmupMaxMicros < 0 ? null : warmupMaxMicros / 1e3, warmupMaxQueueDelayMs);
    Histogram h = expectedIntervalMicros == null ? endToEnd
        : endToEnd.copyCorrectedForCoordinatedOmission(expectedIntervalMicros);
    long n = h.getTotalCount();
    String measuredAs = withArrival == 0 ? "service time (no ARRIVAL rows: queue delay not included)"
        : withArrival == endToEnd.getTotalCount() ? "queue delay + service time"
        : "queue delay + service time (" + withArrival + " of " + endToEnd.getTotalCount() + " requests had an arrival)";
    if (n == 0) {
      return new LatencyResult(0, measuredAs, expectedIntervalMicros != null, null, null, null, null, null, null,
          List.of(), w);
    }
    return new LatencyResult(n, measuredAs, expectedIntervalMicros != null, h.getMean() / 1e3,
        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(95) / 1e3, h.getValueAtPercentile(99) / 1e3,
        h.getMaxValue() / 1e3, service.getValueAtPercentile(99) / 1e3, bins(h), w);
  }

  /**
   * Log-spaced bins, ten per decade (each 10^0.1 = 1.26 times the last), from the decade below
   * the fastest request to the slowest: the shape of a latency distribution, whose tail spans
   * decades, stays readable on a log axis. Empty bins between the first and last are kept.
   */
  static List<LatencyDistributionBin> bins(Histogram h) {
    long min = Math.max(1, h.getMinValue());
    long max = Math.max(min, h.getMaxValue());
    double lo = Math.pow(10, Math.floor(Math.log10(min)));
    int n = Math.max(1, (int) Math.ceil(Math.log10((max + 1) / lo) * PER_DECADE));
    long[] counts = new long[n];
    for (HistogramIterationValue v : h.recordedValues()) {
      long value = Math.max(1, h.lowestEquivalentValue(v.getValueIteratedTo()));
      int bin = (int) Math.floor(Math.log10(value / lo) * PER_DECADE + 1e-9);
      counts[Math.min(Math.max(bin, 0), n - 1)] += v.getCountAtValueIteratedTo();
    }
    int first = 0;
    while (first < n - 1 && counts[first] == 0) {
      first++;
    }
    List<LatencyDistributionBin> out = new ArrayList<>();
    for (int i = first; i < n; i++) {
      out.add(new LatencyDistributionBin(lo * Math.pow(10, (double) i / PER_DECADE) / 1e3,
          lo * Math.pow(10, (double) (i + 1) / PER_DECADE) / 1e3, counts[i]));
    }
    return out;
  }

  static final int PER_DECADE = 10;
}
