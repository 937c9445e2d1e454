package io.racetrace.analyzer.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import java.util.Locale;

/** The validation plan's screens (Step 1 capacity, Step 6 retries) and the latency check, from the retest load phase. */
final class Screens {
  private Screens() {}

  /**
   * Step 1, rho = lambda x S / c. The arrival rate is the capture's (ARRIVAL rows per timeline bucket) where
   * it has an arrival probe, else its request rate. The mean service time is the mean end-to-end latency
   * less its queue-delay share (the share is of summed latency, so this is exact for requests with an arrival).
   */
  static ReleasePackage.Capacity capacity(Phase retest) {
    AnalysisResult r = retest.report();
    boolean arrivals = r.summary().arrivals() > 0;
    Double mean = arrivals ? perSecond(r.summary().arrivals(), r.summary().durationSeconds())
        : r.summary().requestsPerSecond();
    Double peak = arrivals ? peakArrivals(r.timeline()) : r.summary().peakRequestsPerSecond();
    Double share = r.detectors().queueing().queueDelayShare();
    Double serviceMs = r.latency().meanMs() == null ? null : r.latency().meanMs() * (share == null ? 1 : 1 - share);
    Integer workers = Harness.workers(retest);
    Double busy = peak == null || serviceMs == null ? null : peak * serviceMs / 1000;
    Double atPeak = busy == null || workers == null || workers == 0 ? null : busy / workers;
    Double atMean = mean == null || serviceMs == null || workers == null || workers == 0 ? null
        : mean * serviceMs / 1000 / workers;
    String rate = arrivals ? "arrival rate" : "request rate (no arrival probe)";
    String s;
    if (busy == null) {
      s = "Not computed: the retest has no " + (serviceMs == null ? "mean latency" : "rate") + ".";
    } else if (atPeak == null) {
      s = String.format(Locale.ROOT, "Peak %s %s/s x mean service time %s ms = %s busy workers on average. Worker"
          + " count not recorded (no ground truth with the service's worker pool): utilization not computed.",
          rate, f1(peak), f2(serviceMs), f2(busy));
    } else {
      s = String.format(Locale.ROOT, "Utilization = %s/s x %s ms / %d workers = %s at the peak %s (%s at the mean"
          + " %s/s). %s", f1(peak), f2(serviceMs), workers, f2(atPeak), rate, f2(atMean), f1(mean), margin(atPeak));
    }
    return new ReleasePackage.Capacity(peak, mean, serviceMs, workers, busy, atPeak, atMean, s);
  }

  private static String margin(double u) {
    if (u >= 1) {
      return "The workers are saturated at the peak: queues grow; capacity is the first problem.";
    }
    if (u >= 0.7) {
      return "Little margin at the peak: queueing delay grows steeply above about 70 % utilization.";
    }
    return "Nominal capacity margin: a failure at this load points at hot keys, storage conflicts, retries or tail"
        + " latency, not at average worker capacity.";
  }

  private static Double peakArrivals(Results.Timeline t) {
    long max = 0;
    for (Results.Bucket b : t.buckets()) {
      max = Math.max(max, b.arrivals());
    }
    return t.bucketMs() > 0 && max > 0 ? max / (t.bucketMs() / 1000) : null;
  }

  /** Step 6: storage attempts at the peak, and the retest's measured cost against the baseline's prediction. */
  static ReleasePackage.RetryScreen retry(Phase baseline, Phase retest) {
    Results.RetryResult rr = retest.report().detectors().retries();
    Double peak = retest.report().summary().peakRequestsPerSecond();
    Double amp = rr.amplification();
    Double atPeak = peak == null || amp == null ? null : peak * amp;
    Double predicted = null;
    for (Results.Mitigation m : baseline.report().mitigations()) {
      if (m.extraStorageAttemptsPercent() != null && predicted == null) {
        predicted = m.extraStorageAttemptsPercent();
      }
    }
    Double measured = amp == null ? null : (amp - 1) * 100;
    StringBuilder s = new StringBuilder();
    if (atPeak == null) {
      s.append("Not computed: the retest measured no ").append(amp == null ? "storage attempts" : "peak rate").append('.');
    } else {
      s.append(String.format(Locale.ROOT, "At the retest's peak of %s req/s, %s storage attempts per request make %s"
          + " storage attempts/s", f1(peak), f3(amp), f1(atPeak)));
      if (rr.conflictRate() != null && rr.screenedAmplification() != null) {
        s.append(String.format(Locale.ROOT, " (the 1/(1-p) screen at conflict rate p = %s%%: %s)",
            f1(rr.conflictRate() * 100), f3(rr.screenedAmplification())));
      }
      s.append(String.format(Locale.ROOT, "; at most %d attempts per request allowed, %d seen.", rr.attemptLimit(),
          rr.maxAttempts()));
    }
    if (measured != null) {
      s.append(predicted == null ? String.format(Locale.ROOT, " Measured cost: +%s%% storage attempts (the baseline"
          + " predicted none).", f1(measured))
          : String.format(Locale.ROOT, " The baseline predicted +%s%% storage attempts for the mitigation; the retest"
              + " measured +%s%%", f1(predicted), f1(measured)) + checked(predicted, measured, baseline, rr));
    }
    return new ReleasePackage.RetryScreen(rr.conflictRate(), rr.attemptLimit(), rr.maxAttempts(), amp,
        rr.screenedAmplification(), peak, atPeak, predicted, measured, s.toString());
  }

  /**
   * Whether the retest bore out the baseline's predicted cost: within a quarter of it (and 2
   * points) it did; otherwise the sentence says by how much and why, from the conflict structure
   * each run measured: the baseline's window overlap rate against the retest's conflict rate (a
   * conditional write's retries lengthen windows and so add conflicts of their own).
   */
  static String checked(double predicted, double measured, Phase baseline, Results.RetryResult rr) {
    double diff = measured - predicted;
    if (Math.abs(diff) <= Math.max(2, 0.25 * Math.abs(predicted))) {
      return ": the prediction held.";
    }
    double overlap = baseline.report().detectors().lostUpdates().windowOverlapRate() * 100;
    String why = rr.conflictRate() == null ? "" : String.format(Locale.ROOT, " The prediction took the baseline's"
        + " window overlap rate, %s%%, as the conflict rate; the retest's conditional writes conflicted at %s%%%s.",
        f1(overlap), f1(rr.conflictRate() * 100), rr.conflictRate() * 100 > overlap
            ? ", since retried requests hold their windows longer and collide again" : "");
    return String.format(Locale.ROOT, ": the prediction %s the cost by %s points.%s", diff > 0 ? "understated"
        : "overstated", f1(Math.abs(diff)), why);
  }

  /**
   * In-service p99 beside the clients' (intended send time to answer, from the ground truth). They
   * disagree when one is above the p99 target and the other is not: the service's figure then hides
   * waiting the clients saw (generator lag, connection queues), or the reverse.
   */
  static ReleasePackage.LatencyCheck latency(Phase retest) {
    AnalysisResult r = retest.report();
    Double in = r.latency().p99Ms();
    Double client = number(retest.truth("/latencyMillis/p99"));
    Double lag = number(retest.truth("/requests/maxSendLagMillis"));
    double target = r.release().criteria().p99LatencyMs().bound();
    boolean disagree = in != null && client != null && (in >= target) != (client >= target);
    String s;
    if (client == null) {
      s = "Client-side latency not recorded (no ground-truth.json beside the retest): in-service p99 "
          + ms(in) + " only.";
    } else {
      s = String.format(Locale.ROOT, "p99: in-service %s (service time %s, queue delay %s); clients %s from the"
          + " intended send time, generator lag up to %s.", ms(in), ms(r.latency().serviceP99Ms()),
          ms(r.detectors().queueing().p99Ms()), ms(client), ms(lag));
      if (disagree) {
        s += " They disagree about the " + f1(target) + " ms target: the release owner must know which one the users saw.";
      }
    }
    return new ReleasePackage.LatencyCheck(in, r.latency().serviceP99Ms(), r.detectors().queueing().p99Ms(), client,
        lag, disagree, s);
  }

  private static Double number(JsonNode n) {
    return n == null || !n.isNumber() ? null : n.asDouble();
  }

  private static Double perSecond(long n, double seconds) {
    return seconds > 0 ? n / seconds : null;
  }

  static String ms(Double v) {
    return v == null ? "not measured" : f1(v) + " ms";
  }

  static String f1(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  static String f3(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }
}
