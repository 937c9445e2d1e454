package io.racetrace.analyzer.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.analyzer.compare.Comparison;
import io.racetrace.analyzer.compare.OfferedLoad;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.trace.TraceFormatException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds the release package of one run from its phases; links are relative to {@code releaseDir}. */
public final class ReleaseBuilder {
  private ReleaseBuilder() {}

  public static ReleasePackage build(ReleaseInputs in, Path releaseDir) throws TraceFormatException {
    RunCheck.sameRun(in.baseline(), in.retest());
    Links links = new Links(releaseDir);
    AnalysisResult retest = in.retest().report();
    Comparison.Result cmp = Comparison.compare(in.baseline().report(), retest,
        OfferedLoad.of(in.baseline().groundTruth()), OfferedLoad.of(in.retest().groundTruth()));
    ReleasePackage.LatencyCheck latency = Screens.latency(in.retest());
    ReleasePackage.RetryScreen retry = Screens.retry(in.baseline(), in.retest());
    List<Results.Trigger> monitoring = monitoring(retest, retry);

    List<ReleasePackage.Item> items = new ArrayList<>(Items.judge(in, latency, retry, cmp.workloadWarnings(), links));
    ReleasePackage.Decision decision = Decision.decide(items, retest.release(), monitoring);
    items.add(Decision.rollout(decision, monitoring));

    List<ReleasePackage.HarnessPhase> harness = in.all().stream().map(p -> Harness.row(p, links)).toList();
    return new ReleasePackage(ReleasePackage.SCHEMA_VERSION, retest.tool(), Instant.now().toString(), decision,
        List.copyOf(items), workload(in), harness, Screens.capacity(in.retest()), retry, latency,
        new ReleasePackage.Retest(cmp.rows(), cmp.workloadWarnings(), cmp.baselineDecision(), cmp.retestDecision()),
        Risks.derive(in, latency, cmp.workloadWarnings()), monitoring, trace(in));
  }

  /** The first two-client lost update of the reproduction, else of the baseline; null if none. */
  static TimelineExample trace(ReleaseInputs in) {
    for (Phase p : java.util.Arrays.asList(in.reproduction(), in.baseline())) {
      if (p == null) {
        continue;
      }
      for (TimelineExample e : p.report().detectors().lostUpdates().examples()) {
        if (e.lanes().size() >= 2) {
          return e;
        }
      }
    }
    return null;
  }

  /** The retest's triggers, plus the edge of the tested envelope: traffic and storage attempts above its peak. */
  static List<Results.Trigger> monitoring(AnalysisResult retest, ReleasePackage.RetryScreen retry) {
    List<Results.Trigger> t = new ArrayList<>(retest.monitoring());
    Double peak = retest.summary().peakRequestsPerSecond();
    if (peak != null) {
      t.add(new Results.Trigger("request rate above the tested peak", "> " + Screens.f1(peak) + " req/s",
          "the retest's peak; higher traffic was not tested"));
    }
    if (retry.storageAttemptsPerSecondAtPeak() != null) {
      t.add(new Results.Trigger("storage attempts above the tested peak", "> "
          + Screens.f1(retry.storageAttemptsPerSecondAtPeak()) + " attempts/s",
          "peak request rate x measured amplification " + Screens.f3(retry.amplification())));
    }
    return t;
  }

  static ReleasePackage.WorkloadModel workload(ReleaseInputs in) {
    Phase r = in.retest();
    Results.Workload w = r.report().workload();
    Results.Summary s = r.report().summary();
    String fp = RunCheck.text(r.truth("/workloadFingerprint"));
    String digest = RunCheck.text(r.truth("/scheduleDigest"));
    String bfp = RunCheck.text(in.baseline().truth("/workloadFingerprint"));
    String bdigest = RunCheck.text(in.baseline().truth("/scheduleDigest"));
    Boolean same = fp == null || bfp == null ? null : fp.equals(bfp) && java.util.Objects.equals(digest, bdigest);
    JsonNode seed = r.truth("/workloadSeed");
    Double burst = s.peakRequestsPerSecond() == null || s.requestsPerSecond() == null || s.requestsPerSecond() == 0
        ? null : s.peakRequestsPerSecond() / s.requestsPerSecond();
    List<ReleasePackage.KeyShare> hot = r.report().detectors().hotKeys().byTraffic().stream().limit(5)
        .map(k -> new ReleasePackage.KeyShare(k.key(), k.trafficShare(), k.windowOverlapRate())).toList();
    return new ReleasePackage.WorkloadModel(RunCheck.text(r.truth("/profile")), seed == null ? null : seed.asLong(), fp,
        digest, same, s.requests(), s.durationSeconds(), s.requestsPerSecond(), s.peakRequestsPerSecond(), burst,
        s.keys(), hot, w.initialStateTotal());
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
