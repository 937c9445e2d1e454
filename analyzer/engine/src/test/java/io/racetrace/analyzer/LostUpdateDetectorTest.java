package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.trace.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact lost-update counts on hand-built interleavings, including the cases that are not anomalies. */
class LostUpdateDetectorTest {
  @TempDir Path tmp;

  AnalysisResult analyze(TraceBuilder b) throws Exception {
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  /** Seed 001 step 2: I0 = 1; A reads 1, B reads 1, A writes 0 and confirms, B writes 0 and confirms. */
  static TraceBuilder seedRace(TraceBuilder b) {
    b.arrival(1, "A", "sku-1", 0);
    b.arrival(1, "B", "sku-1", 2);
    b.request(11, "A", "sku-1", Result.SUCCESS, 10, 100);
    b.read(11, "A", "sku-1", 7, 1, 20, 30);
    b.request(12, "B", "sku-1", Result.SUCCESS, 15, 110);
    b.read(12, "B", "sku-1", 7, 1, 40, 50);
    b.write(11, "A", "sku-1", 8, 0, 60, 70);
    b.write(12, "B", "sku-1", 8, 0, 80, 90);
    return b;
  }

  @Test
  void seedRace_oneLostUpdate_invariantMismatchOne_timelineFromRealRows() throws Exception {
    AnalysisResult r = analyze(seedRace(new TraceBuilder(tmp.resolve("q"))));
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates());
    assertEquals(1, lu.staleWrites());
    assertEquals(1, lu.sameVersionPairs());
    assertEquals(0, lu.casViolations());
    assertEquals(1, lu.erasedUpdates());
    assertEquals(1, lu.erasedUnits());
    assertEquals(2, lu.windows());
    assertEquals(1, lu.overlappingWindows());
    var inv = r.detectors().invariant();
    assertEquals(1L, inv.mismatch());
    assertEquals(2, inv.confirmed());
    assertEquals(1, inv.expectedFromState());
    assertEquals("race", r.rootCause().primary());
    assertEquals("do_not_release", r.release().decision());
    assertEquals(1, r.release().exitCode());

    TimelineExample ex = r.rootCause().example();
    assertNotNull(ex);
    assertEquals(List.of("A", "B"), ex.lanes());
    List<String> texts = ex.steps().stream().map(s -> s.lane() + ":" + s.text()).toList();
    assertEquals(List.of("0:read I=1 (v7)", "1:read I=1 (v7)", "0:write I=0 v8", "1:write I=0 v8", "0:confirm",
        "1:confirm"), texts);
    assertEquals(0.03, ex.steps().get(0).tMs(), 1e-9, "t of A's read, ms since the first row");
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), ex.steps().stream().map(TimelineExample.Step::seq).toList());
  }

  @Test
  void theLanesAreRoles_clientAIsTheErasedUpdate_evenWhenTheOverwriterReadFirst() throws Exception {
    // The sample capture's shape: "late" reads first, "early" reads, writes and confirms, then
    // "late" writes over it. The erased update is early's: it is Client A.
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "late", "sku-1", Result.SUCCESS, 10, 100);
    b.read(11, "late", "sku-1", 7, 1, 20, 30);
    b.request(12, "early", "sku-1", Result.SUCCESS, 15, 75);
    b.read(12, "early", "sku-1", 7, 1, 40, 50);
    b.write(12, "early", "sku-1", 8, 0, 60, 70);
    b.write(11, "late", "sku-1", 8, 0, 80, 90);
    TimelineExample ex = analyze(b).rootCause().example();
    assertEquals(List.of("early", "late"), ex.lanes());
    List<String> texts = ex.steps().stream().map(s -> s.lane() + ":" + s.text()).toList();
    assertEquals(List.of("1:read I=1 (v7)", "0:read I=1 (v7)", "0:write I=0 v8", "0:confirm", "1:write I=0 v8",
        "1:confirm"), texts);
    assertTrue(ex.explanation().startsWith("Both requests read v7 and both writes succeeded: Client B's write (late)"
        + " overwrote Client A's (early)"), ex.explanation());
    // Entry and exit times since the first row (late's request, at 10 us): its read ran 0.010-0.020 ms.
    assertEquals(0.010, ex.steps().get(0).startMs(), 1e-9);
    assertEquals(0.020, ex.steps().get(0).tMs(), 1e-9);
    assertEquals("0.010–0.020", io.racetrace.analyzer.report.TimelineTable.time(ex.steps().get(0)));
    assertEquals("0.065", io.racetrace.analyzer.report.TimelineTable.time(ex.steps().get(3)), "a request: its answer");
  }

  @Test
  void sequentialReadModifyWrites_areNotAnomalies() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    long t = 0;
    for (int i = 0; i < 5; i++) {
      String id = "R" + i;
      b.request(11 + i % 2, id, "sku-1", Result.SUCCESS, t, t + 50);
      b.read(11 + i % 2, id, "sku-1", 10 + i, 5 - i, t + 5, t + 10);
      b.write(11 + i % 2, id, "sku-1", 11 + i, 4 - i, t + 20, t + 30);
      t += 100;
    }
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(0, lu.lostUpdates());
    assertEquals(5, lu.windows());
    assertEquals(0, lu.overlappingWindows());
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals(5, r.detectors().invariant().confirmed());
    assertEquals("none", r.rootCause().primary());
    assertNull(r.rootCause().example());
  }

  @Test
  void failedConditionalWrite_isAConflictNotAnAnomaly_andTheRetryIsNotADuplicate() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "A", "sku-1", Result.SUCCESS, 0, 200);
    b.request(12, "B", "sku-1", Result.SUCCESS, 5, 300).attempt = 2;
    b.read(11, "A", "sku-1", 7, 3, 10, 20);
    b.read(12, "B", "sku-1", 7, 3, 15, 25);
    b.cas(11, "A", "sku-1", Result.SUCCESS, 7, 2, 30, 40);
    b.cas(12, "B", "sku-1", Result.CONFLICT, 7, 2, 50, 60);
    b.read(12, "B", "sku-1", 8, 2, 100, 110).attempt = 2;
    b.cas(12, "B", "sku-1", Result.SUCCESS, 8, 1, 120, 130).attempt = 2;
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(0, lu.lostUpdates());
    assertEquals(0, lu.casViolations());
    assertEquals(3, lu.windows());
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals(2, r.detectors().invariant().confirmed());
    assertEquals(0, r.detectors().duplicates().duplicateConfirmations());
    var rt = r.detectors().retries();
    assertEquals(1, rt.writeConflicts());
    assertEquals(3, rt.conditionalWriteAttempts());
    assertEquals(1.0 / 3, rt.conflictRate(), 1e-12);
    assertEquals(3, rt.storageAttempts());
    assertEquals(1.5, rt.amplification(), 1e-12);
    assertEquals(2, rt.maxAttempts());
    assertEquals(0, rt.requestsOverLimit());
    assertEquals(1, r.detectors().hotKeys().byConflicts().get(0).writeConflicts());
    assertEquals("none", r.rootCause().primary());
  }

  /** No version field: a stale write of n-1 over a current m erases n-m decrements. */
  @Test
  void valueOnlyStore_staleWriteErasesNMinusMDecrements() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "S", "k", Result.SUCCESS, 0, 1000);
    b.readValue(11, "S", "k", 10, 10, 20); // S reads n = 10 and stalls
    long t = 100;
    for (int i = 0; i < 3; i++) { // three others decrement 10 -> 7
      String id = "O" + i;
      b.request(12, id, "k", Result.SUCCESS, t, t + 80);
      b.readValue(12, id, "k", 10 - i, t + 10, t + 20);
      b.writeValue(12, id, "k", 9 - i, t + 30, t + 40);
      t += 100;
    }
    b.writeValue(11, "S", "k", 9, 900, 910); // S writes n-1 = 9 over m = 7
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.staleWrites());
    assertEquals(3, lu.erasedUnits());
    assertEquals(0, lu.sameVersionPairs());
    var inv = r.detectors().invariant();
    assertEquals("value", inv.worstKeys().get(0).basis());
    assertEquals(4, inv.confirmed());
    assertEquals(1, inv.expectedFromState()); // 10 - 9
    assertEquals(3L, inv.mismatch());
    String why = r.rootCause().example().explanation();
    assertTrue(why.contains("Client A's write"), why);
    assertTrue(why.contains("Its write of I=9 over a current I=7 erased 3 decrements (n - m = 10 - 7)."), why);
  }

  @Test
  void hashedStates_staleWriteFoundWithoutUnits() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "A", "doc", Result.SUCCESS, 0, 100);
    b.request(12, "B", "doc", Result.SUCCESS, 0, 110);
    var ra = b.readValue(11, "A", "doc", 0x1111, 10, 20);
    var rb = b.readValue(12, "B", "doc", 0x1111, 12, 22);
    var wa = b.writeValue(11, "A", "doc", 0x2222, 30, 40);
    var wb = b.writeValue(12, "B", "doc", 0x3333, 50, 60);
    for (var row : List.of(ra, rb, wa, wb)) {
      row.flags |= io.racetrace.trace.TraceSchema.F_VALUE_HASHED;
    }
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().lostUpdates().staleWrites());
    assertEquals(0, r.detectors().lostUpdates().erasedUnits());
    assertNull(r.detectors().invariant().mismatch(), "hashed states cannot be counted");
    assertEquals("not measured", r.release().table().get(1).status());
  }

  @Test
  void twoConditionalWritesSucceedingOnOneVersion_areACasViolation() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "A", "sku-1", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku-1", Result.SUCCESS, 0, 110);
    b.read(11, "A", "sku-1", 7, 5, 10, 20);
    b.read(12, "B", "sku-1", 7, 5, 12, 22);
    b.cas(11, "A", "sku-1", Result.SUCCESS, 7, 4, 30, 40);
    b.cas(12, "B", "sku-1", Result.SUCCESS, 7, 4, 50, 60);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.casViolations());
    assertEquals(0, lu.staleWrites());
    assertEquals(1, lu.lostUpdates());
    assertEquals(1L, r.detectors().invariant().mismatch());
    assertEquals("storage_transaction", r.rootCause().primary());
    assertEquals("cas_violation", r.rootCause().example().kind());
  }

  @Test
  void rowsOutOfOrderWithinTheReorderWindow_giveTheSameCounts() throws Exception {
    AnalysisResult inOrder = analyze(seedRace(new TraceBuilder(tmp.resolve("a"))));
    AnalysisResult shuffled = analyze(seedRace(new TraceBuilder(tmp.resolve("b")).writeInCallOrder()));
    assertEquals(0, shuffled.input().lateRows());
    assertEquals(inOrder.detectors().lostUpdates(), shuffled.detectors().lostUpdates());
    assertEquals(inOrder.detectors().invariant(), shuffled.detectors().invariant());
  }

  /** C1 commits v8, C2 reads v8 and commits v9, but C1's row leaves its JVM after C2's. */
  @Test
  void writeWhoseRowArrivesAfterTheWriteThatReadIt_isNotStale() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    b.request(11, "C1", "sku-1", Result.SUCCESS, 0, 500);
    b.read(11, "C1", "sku-1", 7, 5, 10, 20);
    b.write(11, "C1", "sku-1", 8, 4, 30, 400); // exits late (preempted after its commit)
    b.request(12, "C2", "sku-1", Result.SUCCESS, 40, 300);
    b.read(12, "C2", "sku-1", 8, 4, 50, 60);
    b.write(12, "C2", "sku-1", 9, 3, 70, 80);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(0, lu.lostUpdates());
    assertEquals(2, lu.aheadWrites(), "C2's read and C1's write are both out of commit order");
    assertEquals(0L, r.detectors().invariant().mismatch());
  }
}
