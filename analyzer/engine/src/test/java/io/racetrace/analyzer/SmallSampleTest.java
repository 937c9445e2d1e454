package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.judge.Diagnosis;
import io.racetrace.analyzer.judge.ReleaseGate;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import io.racetrace.trace.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small-sample guards (issue 13): a p99 of fewer than {@link ReleaseGate#MIN_SAMPLE} latencies is
 * their maximum, so a functional phase of 40 requests gets no p99 verdict and no queueing
 * diagnosis, and says so; the same slow requests at 150 do get both.
 */
class SmallSampleTest {
  @TempDir Path tmp;

  /** {@code n} sequential requests, each waiting 300 ms in a queue and served in 200 ms, none racing. */
  AnalysisResult run(int n) throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q" + n));
    long t = 0;
    for (int i = 0; i < n; i++) {
      String id = "r" + i;
      b.arrival(11, id, "sku", t);
      long start = t + 300_000;
      b.request(12, id, "sku", Result.SUCCESS, start, start + 200_000);
      b.read(12, id, "sku", i + 1, 10_000 - i, start + 10, start + 20);
      b.write(12, id, "sku", i + 2, 9_999 - i, start + 30, start + 40);
      t = start + 200_010;
    }
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  static ReleaseRow row(AnalysisResult r, String id) {
    return r.release().table().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void fortyRequests_noP99Verdict_noQueueingDiagnosis_andSaysSo() throws Exception {
    AnalysisResult r = run(40);
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    ReleaseRow p99 = row(r, "p99LatencyMs");
    assertEquals("not applicable", p99.status(), p99.toString());
    assertTrue(p99.evidence().contains("40 requests, fewer than 100"), p99.evidence());
    assertNotEquals(Diagnosis.QUEUEING, r.rootCause().primary(), r.rootCause().toString());
    assertFalse(r.release().blockers().stream().anyMatch(x -> x.contains("p99")), r.release().blockers().toString());
  }

  @Test
  void aForcedRaceOfFortyRequests_retryAmplificationAndConflictRateShownNotJudged() throws Exception {
    // Twenty two-client races on one key with a conditional write: in each, one write conflicts
    // and its request retries and succeeds, so 60 attempts for 40 requests, 1.5, what the race forces.
    TraceBuilder b = new TraceBuilder(tmp.resolve("race"));
    long t = 0;
    long v = 0;
    for (int i = 0; i < 20; i++) {
      String a = "a" + i;
      String c = "b" + i;
      b.request(12, a, "sku", Result.SUCCESS, t, t + 100);
      b.request(13, c, "sku", Result.SUCCESS, t + 1, t + 140);
      b.read(12, a, "sku", v, 1000 - v, t + 10, t + 20);
      b.read(13, c, "sku", v, 1000 - v, t + 11, t + 21);
      b.cas(12, a, "sku", Result.SUCCESS, v, 999 - v, t + 30, t + 40);
      b.cas(13, c, "sku", Result.CONFLICT, v, 999 - v, t + 50, t + 60);
      b.read(13, c, "sku", v + 1, 999 - v, t + 70, t + 80).attempt = 2;
      b.cas(13, c, "sku", Result.SUCCESS, v + 1, 998 - v, t + 90, t + 100).attempt = 2;
      v += 2;
      t += 1_000;
    }
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals(60, r.detectors().retries().storageAttempts(), r.detectors().retries().toString());
    ReleaseRow amp = row(r, "retryAmplification");
    assertEquals(1.5, amp.measured(), 1e-9);
    assertEquals("not applicable", amp.status(), amp.toString());
    assertTrue(amp.evidence().contains("40 requests, fewer than 100: too few for a verdict on the rate (measured 1.500"),
        amp.evidence());
    ReleaseRow conflicts = row(r, "conflictResponsesPercent");
    assertEquals(0.0, conflicts.measured(), 1e-9);
    assertEquals("not applicable", conflicts.status(), conflicts.toString());
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    assertEquals(List.of(), r.release().blockers());
  }

  @Test
  void aHundredAndFiftyRequests_theSameLatencies_failTheP99_andQueueingIsDiagnosed() throws Exception {
    AnalysisResult r = run(150);
    assertEquals("fail", row(r, "p99LatencyMs").status());
    assertEquals(Diagnosis.QUEUEING, r.rootCause().primary(), r.rootCause().toString());
  }
}
