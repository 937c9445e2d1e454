package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Duplicates, retries, queueing, storage faults and hot keys on hand-built traces, with exact counts. */
class RequestDetectorsTest {
  @TempDir Path tmp;

  AnalysisResult analyze(TraceBuilder b) throws Exception {
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  /** One read-modify-write request at {@code t} microseconds: decrements sku from qty at version v. */
  static void rmw(TraceBuilder b, long thread, String id, String key, long v, long qty, long t) {
    b.request(thread, id, key, Result.SUCCESS, t, t + 50);
    b.read(thread, id, key, v, qty, t + 5, t + 10);
    b.write(thread, id, key, v + 1, qty - 1, t + 20, t + 30);
  }

  @Test
  void duplicateDeliveryProcessedTwice_isADuplicateConfirmation() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    rmw(b, 11, "A", "sku-1", 1, 10, 0);
    rmw(b, 11, "B", "sku-1", 2, 9, 100);
    rmw(b, 12, "A", "sku-1", 3, 8, 200); // the duplicate delivery of A, processed again
    AnalysisResult r = analyze(b);
    var d = r.detectors().duplicates();
    assertEquals(1, d.duplicateConfirmations());
    assertEquals(1, d.requestIdsConfirmedMoreThanOnce());
    assertEquals(0, d.idempotentReplays());
    assertEquals(1, d.clientRetries());
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    var inv = r.detectors().invariant();
    assertEquals(2, inv.confirmed(), "distinct ids");
    assertEquals(3, inv.expectedFromState());
    assertEquals(1, inv.overApplied());
    assertEquals(1L, inv.mismatch());
    assertEquals("retry_duplication", r.rootCause().primary());
    var ex = r.rootCause().example();
    assertEquals("duplicate_confirmation", ex.kind());
    assertEquals(4, ex.steps().size(), "both writes and both confirmations");
    assertEquals("fail", r.release().table().stream().filter(x -> x.id().equals("duplicateConfirmations")).findFirst()
        .orElseThrow().status());
  }

  @Test
  void idempotentReplay_isNotADuplicate() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    rmw(b, 11, "A", "sku-1", 1, 10, 0);
    b.request(12, "A", "sku-1", Result.SUCCESS, 200, 230); // answered from the stored outcome, no write
    AnalysisResult r = analyze(b);
    var d = r.detectors().duplicates();
    assertEquals(0, d.duplicateConfirmations());
    assertEquals(1, d.idempotentReplays());
    assertEquals(1, d.clientRetries());
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals("none", r.rootCause().primary());
  }

  @Test
  void clientRetryAfterATimeout_isNotADuplicate() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "A", "sku-1", Result.TIMEOUT, 0, 500);
    b.read(11, "A", "sku-1", 1, 10, 10, 20);
    b.fault(EventKind.WRITE, Result.TIMEOUT, 11, "A", "sku-1", "java.sql.SQLTimeoutException", 30, 490);
    rmw(b, 12, "A", "sku-1", 1, 10, 600);
    AnalysisResult r = analyze(b);
    assertEquals(0, r.detectors().duplicates().duplicateConfirmations());
    assertEquals(1, r.detectors().duplicates().clientRetries());
    var sf = r.detectors().storageFaults();
    assertEquals(1, sf.writeTimeouts());
    assertEquals(1, sf.requests5xx());
    assertEquals(1, sf.fivexxWithStorageFault());
    assertEquals(0, sf.fivexxUnexplained());
    assertEquals(1L, sf.byException().get("java.sql.SQLTimeoutException"));
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals(50.0, r.release().table().stream().filter(x -> x.id().equals("errorRate5xxPercent")).findFirst()
        .orElseThrow().measured(), 1e-9);
  }

  @Test
  void duplicatesFurtherApartThanTwoHorizons_areOutOfReach() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    rmw(b, 11, "A", "sku-1", 1, 10, 0);
    rmw(b, 11, "B", "sku-1", 2, 9, 1_000_000); // 1 s later: rotates the generation
    rmw(b, 11, "C", "sku-1", 3, 8, 2_000_000); // rotates again: A's generation is gone
    rmw(b, 11, "A", "sku-1", 4, 7, 3_000_000);
    AnalysisOptions o = new AnalysisOptions(Duration.ofMillis(100), Duration.ofSeconds(60), Duration.ofMillis(500),
        2_000_000, null, 10);
    Path q = b.build();
    AnalysisResult r = Analysis.run(List.of(q), Criteria.DEFAULTS, o);
    assertEquals(0, r.detectors().duplicates().duplicateConfirmations());
    assertEquals(0.5, r.detectors().duplicates().horizonSeconds());
    AnalysisResult all = Analysis.run(List.of(q), Criteria.DEFAULTS);
    assertEquals(1, all.detectors().duplicates().duplicateConfirmations());
  }

  @Test
  void duplicatesMoreThanTwoGenerationsOfIdsApart_areOutOfReach() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    rmw(b, 11, "A", "sku-1", 1, 100_000, 0);
    for (int i = 0; i < 2500; i++) {
      rmw(b, 11, "r" + i, "sku-1", 2 + i, 99_999 - i, 100 + 100L * i);
    }
    rmw(b, 11, "A", "sku-1", 2502, 97_499, 300_000);
    Path q = b.build();
    AnalysisOptions small = new AnalysisOptions(Duration.ofMillis(100), Duration.ofSeconds(60), Duration.ofMinutes(10),
        1000, null, 10);
    var r = Analysis.run(List.of(q), Criteria.DEFAULTS, small);
    assertEquals(0, r.detectors().duplicates().duplicateConfirmations());
    assertEquals(3, r.detectors().duplicates().generations());
    assertEquals(1, Analysis.run(List.of(q), Criteria.DEFAULTS).detectors().duplicates().duplicateConfirmations());
  }

  @Test
  void attemptsAboveTheLimit_andAmplification() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "A", "hot", Result.CONFLICT, 0, 1000).attempt = 4;
    for (int a = 1; a <= 4; a++) {
      b.read(11, "A", "hot", a, 10, a * 100, a * 100 + 10).attempt = a;
      b.cas(11, "A", "hot", Result.CONFLICT, a, 9, a * 100 + 20, a * 100 + 30).attempt = a;
    }
    rmw(b, 12, "B", "cold", 1, 5, 2000);
    AnalysisResult r = analyze(b);
    var rt = r.detectors().retries();
    assertEquals(4, rt.maxAttempts());
    assertEquals(1, rt.requestsOverLimit());
    assertEquals(5, rt.storageAttempts());
    assertEquals(2, rt.requestsWithStorage());
    assertEquals(2.5, rt.amplification(), 1e-12);
    assertEquals(4, rt.writeConflicts());
    assertEquals(1L, rt.attemptHistogram().get("1"));
    assertEquals(1L, rt.attemptHistogram().get("4"));
    assertEquals("retry_over_limit", rt.examples().get(0).kind());
    var sf = r.detectors().storageFaults();
    assertEquals(0, sf.requests5xx());
    assertEquals(50.0, r.release().table().stream().filter(x -> x.id().equals("conflictResponsesPercent"))
        .findFirst().orElseThrow().measured(), 1e-9);
    assertEquals("fail", r.release().table().stream().filter(x -> x.id().equals("attemptsPerRequest")).findFirst()
        .orElseThrow().status());
    assertEquals("hot", r.detectors().hotKeys().byConflicts().get(0).key());
    assertEquals(1, r.detectors().hotKeys().byConflicts().size(), "keys without conflicts are not listed");
  }

  @Test
  void queueDelay_shareMaximumAndRequestsOverTarget() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    // A waits 10 ms and runs 10 ms; B waits 60 ms (over the 50 ms target) and runs 20 ms.
    b.arrival(1, "A", "k1", 0);
    b.arrival(1, "B", "k2", 0);
    rmwAt(b, 11, "A", "k1", 10_000, 20_000);
    rmwAt(b, 12, "B", "k2", 60_000, 80_000);
    AnalysisResult r = analyze(b);
    var q = r.detectors().queueing();
    assertEquals(2, q.requestsWithArrival());
    assertEquals(60.0, q.maxMs(), 0.1);
    assertEquals(1, q.requestsOverTarget());
    assertEquals(70.0 / 100.0, q.queueDelayShare(), 1e-9);
    assertFalse(q.bucketsOverTargetMs().isEmpty());
    assertEquals("fail", r.release().table().stream().filter(x -> x.id().equals("maxQueueDelayMs")).findFirst()
        .orElseThrow().status());
    // Two requests are too few to diagnose queueing overload (SmallSampleTest: 150 are not).
    assertEquals("none", r.rootCause().primary());
    assertEquals(80.0, r.latency().maxMs(), 0.1, "end-to-end = queue delay + service time");
  }

  static void rmwAt(TraceBuilder b, long thread, String id, String key, long start, long end) {
    b.request(thread, id, key, Result.SUCCESS, start, end);
    b.read(thread, id, key, 1, 5, start + 10, start + 20);
    b.write(thread, id, key, 2, 4, start + 30, start + 40);
  }

  @Test
  void fivexxWithoutStorageFaultOrConflict_isUnexplained() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "A", "k", Result.ERROR, 0, 100).detail("java.lang.NullPointerException");
    b.request(11, "B", "k", Result.CONFLICT, 200, 300);
    AnalysisResult r = analyze(b);
    var sf = r.detectors().storageFaults();
    assertEquals(1, sf.requests5xx());
    assertEquals(1, sf.fivexxUnexplained());
    assertEquals(0, sf.faultsNotExplainedByConflicts());
  }

  @Test
  void hotKeys_rankedByTrafficThenName() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    long t = 0;
    for (String k : List.of("a", "b", "b", "c", "c", "c")) {
      rmw(b, 11, "r" + t, k, t, 100, t);
      t += 100;
    }
    AnalysisResult r = analyze(b);
    var hot = r.detectors().hotKeys();
    assertEquals(3, hot.keys());
    assertEquals(List.of("c", "b", "a"), hot.byTraffic().stream().map(x -> x.key()).toList());
    assertEquals(0.5, hot.byTraffic().get(0).trafficShare(), 1e-12);
    assertTrue(hot.byConflicts().isEmpty());
  }
}
