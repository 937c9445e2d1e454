package io.racetrace.analyzer.release;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Residual risks: what the phases did not test, or tested with a caveat, each with the fact it follows from. */
final class Risks {
  private Risks() {}

  static List<ReleasePackage.Risk> derive(ReleaseInputs in, ReleasePackage.LatencyCheck latency,
      List<String> workloadWarnings) {
    List<ReleasePackage.Risk> risks = new ArrayList<>();
    AnalysisResult retest = in.retest().report();
    List<Phase> mitigated = in.mitigated();

    Set<String> workers = new LinkedHashSet<>();
    retest.input().queues().forEach(q -> workers.add(q.workerId()));
    if (workers.size() <= 1) {
      risks.add(risk("singleWorker", "single worker JVM only: races between worker JVMs were not tested",
          "the retest captured " + retest.input().queues().size() + " queue (worker " + String.join(", ", workers) + ")"));
    }
    if (in.reproduction() == null) {
      risks.add(risk("noReproduction", "race not reproduced on demand: the failure mechanism was not isolated",
          "no controlled reproduction phase"));
    }
    List<String> faulted = names(mitigated, p -> Harness.storageFaults(p) > 0);
    risks.add(faulted.isEmpty()
        ? risk("storageFaults", "storage faults and storage failover not tested",
            "no phase of the mitigated build saw a storage timeout or error")
        : risk("storageFailover", "storage failover not tested",
            "storage faults were injected (" + String.join(", ", faulted) + "); no phase moved to another store"));
    boolean truth = mitigated.stream().anyMatch(p -> p.groundTruth() != null);
    if (!truth) {
      risks.add(risk("injectionsNotRecorded", "client retries, duplicate requests and worker restarts not recorded",
          "no ground-truth.json beside the mitigated build's phases"));
    } else {
      notTested(risks, mitigated, "restart", "worker restart not tested", p -> Harness.restarts(p) > 0);
      notTested(risks, mitigated, "duplicates", "duplicate requests not tested", p -> Harness.duplicateSends(p) > 0);
      notTested(risks, mitigated, "clientRetries", "client retries not tested", p -> Harness.clientRetries(p) > 0);
    }
    if (!retest.input().transactions().probed()) {
      risks.add(risk("noTransactionProbes", "no transaction probes: rollbacks not seen",
          "the retest capture has no commit or rollback probe, so a write counts as applied when its row left"));
    }
    for (Phase p : in.all()) {
      if (p.report().sampling() != null && !p.report().sampling().coversAllKeys()) {
        risks.add(risk("sampledKeys", "sampled keys in phase " + p.name() + ": the other keys were not analyzed",
            p.report().sampling().statement()));
      }
      if (p.report().completeness().verdict().equals("unknown")) {
        risks.add(risk("completenessUnknown", "capture completeness unknown in phase " + p.name(),
            String.join("; ", p.report().completeness().reasons())));
      }
    }
    if (retest.detectors().lostUpdates().undecidedWrites() > 0) {
      risks.add(risk("undecidedWrites", "writes whose read showed no version or value were not judged",
          retest.detectors().lostUpdates().undecidedWrites() + " undecided writes in the retest"));
    }
    for (String w : workloadWarnings) {
      risks.add(risk("workloadDiffers", "the retest's workload is not the baseline's", w));
    }
    if (latency.clientP99Ms() == null) {
      risks.add(risk("noClientLatency", "client-side latency not recorded: in-service latency only",
          "no ground-truth.json beside the retest"));
    } else if (latency.disagreement()) {
      risks.add(risk("latencyDisagreement", "in-service and client p99 disagree about the target", latency.statement()));
    }
    for (Phase p : mitigated) {
      if (p != in.retest() && !p.report().release().blockers().isEmpty()) {
        risks.add(risk("phaseFails", "phase " + p.name() + " of the mitigated build fails the release criteria",
            String.join("; ", p.report().release().blockers())));
      }
    }
    Results.Summary s = retest.summary();
    risks.add(risk("envelope", "load beyond the tested envelope is untested", String.format(Locale.ROOT,
        "the retest ran %d requests for %.1f s, peak %s req/s, on %d keys", s.requests(), s.durationSeconds(),
        Screens.f1(s.peakRequestsPerSecond()), s.keys())));
    return risks;
  }

  private static void notTested(List<ReleasePackage.Risk> risks, List<Phase> phases, String id, String text,
      java.util.function.Predicate<Phase> tested) {
    if (phases.stream().noneMatch(tested)) {
      risks.add(risk(id, text, "no phase of the mitigated build recorded one (ground truth)"));
    }
  }

  private static List<String> names(List<Phase> phases, java.util.function.Predicate<Phase> p) {
    return phases.stream().filter(p).map(x -> x.name() + ": " + Harness.storageFaults(x)).toList();
  }

  private static ReleasePackage.Risk risk(String id, String risk, String basis) {
    return new ReleasePackage.Risk(id, risk, basis);
  }
}
