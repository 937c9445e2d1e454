package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.synthetic.SyntheticCapture;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer against the generator's ground truth, counted from its simulated store: exact
 * numbers on a capture of tens of thousands of rows from three JVMs, rows jittered out of order.
 */
class SyntheticCaptureTest {
  @TempDir Path tmp;

  @Test
  void unsafeService_countsMatchTheSimulatedStore() throws Exception {
    var p = SyntheticCapture.Params.defaults(60_000).withWorkers(3).withJitter(200_000)
        .withLoad(200, 3000, 1_000_000);
    SyntheticCapture.Truth t = SyntheticCapture.generate(tmp.resolve("cap"), p);
    assertTrue(t.lostUpdates() > 100, "the workload must collide: " + t);
    assertTrue(t.duplicateConfirmations() > 0, t.toString());
    AnalysisResult r = Analysis.run(List.of(tmp.resolve("cap")), Criteria.DEFAULTS);
    var d = r.detectors();
    assertEquals(t.rowsWritten(), r.input().rows());
    assertEquals(t.requests(), r.summary().arrivals());
    assertEquals(t.lostUpdates(), d.lostUpdates().staleWrites(), t.toString());
    assertEquals(t.erasedUpdates(), d.lostUpdates().erasedUpdates());
    assertEquals(t.duplicateConfirmations(), d.duplicates().duplicateConfirmations());
    assertEquals(t.distinctConfirmed(), d.invariant().confirmed());
    assertEquals(t.invariantMismatch(), d.invariant().lostUpdates() - d.invariant().overApplied());
    assertEquals(t.timeouts(), d.storageFaults().writeTimeouts());
    assertEquals(0, r.input().lateRows());
    assertEquals("valid", r.completeness().verdict());
    assertEquals("race", r.rootCause().primary());
    assertEquals(1, r.release().exitCode());
    assertEquals(5, d.lostUpdates().examples().size());
    for (var ex : d.lostUpdates().examples()) {
      // Client A is the erased update: its write comes first, Client B's stale write after it.
      var writes = ex.steps().stream().filter(st -> st.kind().equals("WRITE")).toList();
      assertEquals(0, writes.get(0).lane(), "Client A writes first: " + ex.steps());
      assertEquals(1, writes.get(writes.size() - 1).lane(), "Client B erases it: " + ex.steps());
      assertEquals("READ", ex.steps().get(0).kind());
      assertEquals(2, ex.steps().stream().filter(s -> s.kind().equals("WRITE")).count());
    }
    assertEquals(5, d.lostUpdates().examples().stream().map(x -> x.key()).distinct().count(), "one per key");
    // The pipelined run, with its default hand-overs, on tens of thousands of rows: the same result.
    for (int threads : new int[] {2, 3}) {
      AnalysisResult piped = Analysis.run(List.of(tmp.resolve("cap")), Criteria.DEFAULTS,
          AnalysisOptions.DEFAULTS.withThreads(threads));
      io.racetrace.analyzer.differential.ThreadedRunTest.equalExceptTime(r, piped, threads + " threads");
    }
  }

  @Test
  void conditionalService_noLostUpdates_conflictsAndReplaysCounted() throws Exception {
    var p = SyntheticCapture.Params.defaults(60_000).withConditional(true).withWorkers(2).withLoad(200, 3000, 1_000_000);
    SyntheticCapture.Truth t = SyntheticCapture.generate(tmp.resolve("cap"), p);
    assertTrue(t.writeConflicts() > 50, t.toString());
    AnalysisResult r = Analysis.run(List.of(tmp.resolve("cap")), Criteria.DEFAULTS);
    var d = r.detectors();
    assertEquals(0, t.lostUpdates());
    assertEquals(0, d.lostUpdates().lostUpdates());
    assertEquals(0, d.lostUpdates().casViolations());
    assertEquals(t.duplicateConfirmations(), d.duplicates().duplicateConfirmations());
    assertEquals(0, t.duplicateConfirmations());
    assertEquals(t.replays(), d.duplicates().idempotentReplays());
    assertEquals(t.writeConflicts(), d.retries().writeConflicts());
    assertEquals(t.conflictResponses(), r.summary().conflictResponses());
    assertEquals(0L, d.invariant().mismatch());
    assertTrue(d.retries().amplification() > 1.0);
    assertNotEquals("race", r.rootCause().primary());
  }

  @Test
  void agentDrops_makeTheCaptureInvalid() throws Exception {
    var p = SyntheticCapture.Params.defaults(20_000).withDropEvery(1000);
    SyntheticCapture.Truth t = SyntheticCapture.generate(tmp.resolve("cap"), p);
    AnalysisResult r = Analysis.run(List.of(tmp.resolve("cap")), Criteria.DEFAULTS);
    assertEquals("invalid", r.completeness().verdict());
    assertEquals(t.rowsDropped(), r.completeness().rowsDroppedByAgent());
    // A drop is a sequence gap unless it was its thread's last row (the tail shows no gap).
    assertTrue(r.completeness().rowsMissingBySequence() > 0, r.completeness().toString());
    assertTrue(r.completeness().rowsMissingBySequence() <= t.rowsDropped(), r.completeness().toString());
    assertEquals("recapture", r.release().decision());
  }
}
