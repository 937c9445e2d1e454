package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.CriteriaLoader;
import io.racetrace.workload.GroundTruth;
import io.racetrace.workload.Profiles;
import io.racetrace.workload.WorkloadConfig;
import io.racetrace.workload.WorkloadProfile;
import io.racetrace.workload.WorkloadRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole capture path against the truth of the store: the reference service under hot-key
 * load, the agent attached at start, the analyzer over the capture. What the analyzer derives from
 * versions alone must equal what the store and the clients say happened.
 */
class CaptureAnalysisIT {
  static final Path PROBES = ServiceProcess.ROOT.resolve("samples/probes/target-service.yaml");
  static final Path PROFILE = ServiceProcess.ROOT.resolve("samples/workloads/e2e-hot-key.yaml");
  /** The default criteria with latency bounds a loaded 2-core CI machine cannot fail by accident. */
  static final Path CRITERIA = ServiceProcess.ROOT.resolve("samples/criteria/correctness-only.yaml");

  @TempDir Path tmp;

  record Run(GroundTruth truth, AnalysisResult analysis) {}

  Run run(String mode) throws Exception {
    Path queue = tmp.resolve(mode);
    WorkloadProfile profile = Profiles.load(PROFILE.toString());
    GroundTruth truth;
    try (ServiceProcess svc = new ServiceProcess(PROBES, queue, "--mode", mode)) {
      truth = new WorkloadRunner(WorkloadConfig.of(svc.uri, profile)).run().groundTruth();
    }
    return new Run(truth, Analysis.run(List.of(queue), CriteriaLoader.load(CRITERIA)));
  }

  @Test
  void unsafeService_lostUpdatesAndMismatch_equalTheStoresGroundTruth() throws Exception {
    Run r = run("unsafe");
    long truth = r.truth().totals().mismatch();
    assertTrue(truth > 0, "the unsafe service must oversell under this load: " + r.truth().summary());
    assertEquals("valid", r.analysis().completeness().verdict());
    assertEquals(truth, r.analysis().detectors().invariant().mismatch().longValue(), "invariant mismatch");
    assertEquals(truth, r.analysis().detectors().lostUpdates().erasedUnits(), "units erased by lost updates");
    assertEquals("race", r.analysis().rootCause().primary());
    assertNotNull(r.analysis().rootCause().example(), "a Client A / Client B timeline from real rows");
    assertEquals(1, r.analysis().release().exitCode());
  }

  @Test
  void conditionalService_sameWorkload_reportsZeroAndPasses() throws Exception {
    Run r = run("conditional");
    assertEquals(0, r.truth().totals().mismatch(), r.truth().summary());
    assertEquals("valid", r.analysis().completeness().verdict());
    assertEquals(0, r.analysis().detectors().invariant().mismatch().longValue());
    assertEquals(0, r.analysis().detectors().lostUpdates().lostUpdates());
    assertEquals(0, r.analysis().detectors().duplicates().duplicateConfirmations());
    assertEquals(0, r.analysis().release().exitCode(), r.analysis().release().decisionText());
  }
}
