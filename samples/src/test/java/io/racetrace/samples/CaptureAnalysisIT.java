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
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceSchema;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * A worker restart mid-phase (samples/workloads/demo-restart.yaml): in-flight requests are
   * interrupted, answer 503 and are retried by the client. With the transaction boundaries the
   * probe file now includes (the {@code jdbc} pack), the capture's invariant mismatch and duplicate
   * confirmations equal the store's in both modes. (In the runs here the restart interrupted no
   * transaction between its write and its commit, so none was rolled back after a write: that
   * case is BankJdbcIT's and TransactionsTest's.)
   */
  @Test
  void workerRestart_captureEqualsTheStore_withTransactionBoundaries_inBothModes() throws Exception {
    WorkloadProfile profile = Profiles.load(ServiceProcess.ROOT.resolve("samples/workloads/demo-restart.yaml").toString());
    for (String mode : List.of("unsafe", "conditional")) {
      Path queue = tmp.resolve("restart-" + mode);
      GroundTruth truth;
      try (ServiceProcess svc = new ServiceProcess(PROBES, queue, "--mode", mode)) {
        truth = new WorkloadRunner(WorkloadConfig.of(svc.uri, profile)).run().groundTruth();
      }
      AnalysisResult a = Analysis.run(List.of(queue), CriteriaLoader.load(CRITERIA));
      System.out.println("restart " + mode + ": store mismatch " + truth.totals().mismatch() + ", capture "
          + a.detectors().invariant().mismatch() + ", " + a.input().transactions());
      assertTrue(a.input().transactions().probed(), "the probe file has transaction boundaries");
      assertTrue(a.input().transactions().writesCommitted() > 0, mode + ": writes applied at their commit");
      assertEquals(0, a.input().transactions().writesNeverEnded(), mode + ": every transaction ended in the capture");
      assertEquals(truth.totals().mismatch(), a.detectors().invariant().mismatch().longValue(), mode + ": invariant mismatch");
      assertEquals(truth.totals().duplicateConfirmations(), a.detectors().duplicates().duplicateConfirmations(),
          mode + ": duplicate confirmations, as the store counts them");
    }
  }

  /**
   * The overhead budget's promise: the agent, over its budget, keeps whole keys, and for the keys
   * it kept the analysis is exact. A budget no agent can meet (0.1 % of CPU) with a floor of half
   * the key space: the agent must cut to that floor, and the analyzer's invariant mismatch must
   * equal the store's, summed over exactly the keys whose bucket is below the final level.
   */
  @Test
  void budgetExceeded_sampledKeysStayExact_againstTheStore() throws Exception {
    Path queue = tmp.resolve("sampled");
    WorkloadProfile profile = Profiles.load(ServiceProcess.ROOT.resolve("samples/workloads/e2e-sampled.yaml").toString());
    GroundTruth truth;
    try (ServiceProcess svc = new ServiceProcess("probes=" + PROBES + ",queue=" + queue + ",budget=0.1,sampleFloor=50",
        "--mode", "unsafe")) {
      truth = new WorkloadRunner(WorkloadConfig.of(svc.uri, profile)).run().groundTruth();
    }
    SamplingChange last = TraceCursor.lastSampling(queue);
    assertNotNull(last, "a budget writes sampling records");
    assertEquals(TraceSchema.SAMPLE_ALL / 2, last.level(), "cut to the floor: " + last);

    // Which skus the agent kept to the end, from the buckets their rows carry.
    Map<String, Integer> bucket = new HashMap<>();
    try (TraceCursor c = TraceCursor.open(queue)) {
      TraceCursor.Record rec;
      while ((rec = c.next()) != null) {
        if (rec == TraceCursor.Record.ROW && c.row().key != null && c.row().has(TraceSchema.F_KEY_BUCKET)) {
          bucket.put(c.row().key, c.row().keyBucket);
        }
      }
    }
    long keptTruth = 0;
    long droppedTruth = 0;
    int kept = 0;
    int excluded = 0;
    for (GroundTruth.Sku s : truth.skus()) {
      Integer b = bucket.get(s.sku());
      if (b == null) {
        // No row at all: never requested, or left out before its first request (a kept key has
        // every request captured). Either way the analysis cannot and must not count it.
        droppedTruth += Math.abs(s.mismatch());
      } else if (b < last.level()) {
        kept++;
        keptTruth += Math.abs(s.mismatch());
      } else {
        excluded++;
        droppedTruth += Math.abs(s.mismatch());
      }
    }
    assertTrue(kept > 20 && excluded > 20, kept + " skus kept, " + excluded + " left out with a partial history");
    assertTrue(keptTruth > 0 && droppedTruth > 0, "lost updates on both sides: " + keptTruth + " / " + droppedTruth);

    AnalysisResult a = Analysis.run(List.of(queue), CriteriaLoader.load(CRITERIA));
    assertEquals(keptTruth, a.detectors().invariant().mismatch().longValue(), "invariant mismatch over the kept keys");
    assertEquals(keptTruth, a.detectors().lostUpdates().erasedUnits(), "units erased, over the kept keys");
    assertEquals("valid", a.completeness().verdict(), a.completeness().reasons().toString());
    assertEquals(kept, a.sampling().keysAnalyzed());
    assertEquals(excluded, a.sampling().keysExcluded());
    assertEquals(1, a.release().exitCode(), "a race on the kept keys still fails the release");
  }
}
