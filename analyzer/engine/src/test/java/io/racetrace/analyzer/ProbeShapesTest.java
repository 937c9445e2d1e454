package io.racetrace.analyzer;

import static io.racetrace.analyzer.TraceBuilder.NO_ID;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.CriteriaLoader;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe files of shapes other than the reference service's: requests without ids, synchronous
 * services without an arrival probe, criteria turned off. Expected figures are those of the
 * hand-built histories, by construction.
 */
class ProbeShapesTest {
  @TempDir Path tmp;

  /** The probes of a synchronous service: request, read, write; no arrival. */
  static TraceBuilder synchronous(TraceBuilder b) {
    return b.probe(new ProbeStatus(0, "reserve", "request", "Desk#book", 1))
        .probe(new ProbeStatus(1, "read", "read", "Store#get", 1))
        .probe(new ProbeStatus(2, "write", "write", "Store#put", 1));
  }

  static ReleaseRow row(AnalysisResult r, String id) {
    return r.release().table().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
  }

  /** Seed 001 step 2's race, from a service whose requests carry no id: still one lost update. */
  @Test
  void requestsWithoutIds_areStillRequests_theRaceIsFound_duplicatesNotMeasurable() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")));
    b.request(11, NO_ID, "sku-1", Result.SUCCESS, 10, 100);
    b.read(11, NO_ID, "sku-1", 7, 1, 20, 30);
    b.request(12, NO_ID, "sku-1", Result.SUCCESS, 15, 110);
    b.read(12, NO_ID, "sku-1", 7, 1, 40, 50);
    b.write(11, NO_ID, "sku-1", 8, 0, 60, 70);
    b.write(12, NO_ID, "sku-1", 8, 0, 80, 90);
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals(1, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0, r.detectors().lostUpdates().writesOutsideRequests(), "writes inside requests are not 'outside requests'");
    assertEquals(1L, r.detectors().invariant().mismatch());
    assertEquals(2, r.summary().confirmations());
    assertEquals("race", r.rootCause().primary());
    assertEquals("do_not_release", r.release().decision());
    ReleaseRow dup = row(r, "duplicateConfirmations");
    assertEquals("not applicable", dup.status());
    assertTrue(dup.evidence().startsWith("not measurable: the request probe has no requestId"), dup.evidence());
    assertEquals(2, r.detectors().duplicates().requestsWithoutId());
  }

  /** A correct synchronous service: no arrival probe, so no queue delay; that must not block a release. */
  @Test
  void synchronousServiceWithoutArrivalProbe_queueDelayNotApplicable_andReleases() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")));
    long t = 0;
    for (int i = 0; i < 5; i++) {
      b.request(11, "R" + i, "sku-1", Result.SUCCESS, t, t + 50);
      b.read(11, "R" + i, "sku-1", 10 + i, 5 - i, t + 5, t + 10);
      b.write(11, "R" + i, "sku-1", 11 + i, 4 - i, t + 20, t + 30);
      t += 100;
    }
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    ReleaseRow q = row(r, "maxQueueDelayMs");
    assertEquals("not applicable", q.status());
    assertTrue(q.evidence().contains("no arrival probe"), q.evidence());
    assertEquals("release", r.release().decision(), r.release().decisionText());
    assertEquals(0, r.release().exitCode());
  }

  /** An arrival probe that exists but produced nothing is missing data, which still blocks. */
  @Test
  void arrivalProbeWithoutRows_stillBlocks() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")))
        .probe(new ProbeStatus(3, "arrival", "arrival", "Desk#accept", 1));
    b.request(11, "R0", "sku-1", Result.SUCCESS, 0, 50);
    b.read(11, "R0", "sku-1", 10, 5, 5, 10);
    b.write(11, "R0", "sku-1", 11, 4, 20, 30);
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals("not measured", row(r, "maxQueueDelayMs").status());
    assertEquals("do_not_release", r.release().decision());
  }

  /** {@code maxQueueDelayMs: off} in a criteria file: shown as off, never judged. */
  @Test
  void criterionTurnedOff_isShownAndDoesNotBlock() throws Exception {
    Path f = tmp.resolve("criteria.yaml");
    Files.writeString(f, "maxQueueDelayMs: off\nduplicateConfirmations: {off: true}\n");
    Criteria c = CriteriaLoader.load(f);
    assertTrue(c.maxQueueDelayMs().turnedOff());
    assertTrue(c.duplicateConfirmations().turnedOff());
    assertFalse(c.p99LatencyMs().turnedOff(), "the other criteria keep their defaults");
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q"))); // no arrival probe, and the criterion is off
    b.request(11, "R0", "sku-1", Result.SUCCESS, 0, 50);
    b.read(11, "R0", "sku-1", 10, 5, 5, 10);
    b.write(11, "R0", "sku-1", 11, 4, 20, 30);
    AnalysisResult r = Analysis.run(List.of(b.build()), c);
    ReleaseRow q = row(r, "maxQueueDelayMs");
    assertEquals("off", q.status());
    assertEquals("off", q.criterion());
    assertEquals("release", r.release().decision(), r.release().decisionText());

    Files.writeString(f, "maxQueueDelayMs: sometimes\n");
    CriteriaLoader.CriteriaException e = assertThrows(CriteriaLoader.CriteriaException.class, () -> CriteriaLoader.load(f));
    assertEquals(f + ":1: maxQueueDelayMs: expected 'off' or a mapping with 'max' or 'below', like {below: 150}", e.getMessage());
  }

  /**
   * A JPA-style service: the write throws an optimistic-lock exception that the probe maps to
   * conflict, and the request retries. A handled conflict, not a storage fault, and no anomaly.
   */
  @Test
  void writeThatThrowsAMappedConflict_isAHandledConflict_notAStorageFault() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")));
    b.request(11, "A", "sku-1", Result.SUCCESS, 0, 200);
    b.read(11, "A", "sku-1", 3, 5, 10, 20);
    b.request(12, "B", "sku-1", Result.SUCCESS, 5, 100);
    b.read(12, "B", "sku-1", 3, 5, 15, 25);
    b.cas(12, "B", "sku-1", Result.SUCCESS, 3, 4, 30, 40);
    b.fault(io.racetrace.trace.EventKind.WRITE, Result.CONFLICT, 11, "A", "sku-1",
        "jakarta.persistence.OptimisticLockException", 50, 60).expectedVersion(3).value(4);
    b.read(11, "A", "sku-1", 4, 4, 70, 80).attempt = 2;
    b.cas(11, "A", "sku-1", Result.SUCCESS, 4, 3, 90, 100).attempt = 2;
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals(0, r.detectors().storageFaults().faultsNotExplainedByConflicts(), "a mapped conflict is not a storage fault");
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals("none", r.rootCause().primary());
    assertEquals(3, r.detectors().retries().storageAttempts(), "A's two attempts and B's one");
  }

  /** A ledger: withdrawals of several units, conditional writes, one at a time. The invariant is in units, and holds. */
  @Test
  void multiUnitWithdrawals_safe_invariantInTheServicesUnits_holds() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")));
    long[] amounts = {3, 2, 5, -4}; // the last is a deposit
    long balance = 20;
    long t = 0;
    for (int i = 0; i < amounts.length; i++) {
      b.request(11, "W" + i, "acct-1", Result.SUCCESS, t, t + 50);
      b.read(11, "W" + i, "acct-1", i, balance, t + 5, t + 10);
      b.cas(11, "W" + i, "acct-1", Result.SUCCESS, i, balance - amounts[i], t + 20, t + 30);
      balance -= amounts[i];
      t += 100;
    }
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    var inv = r.detectors().invariant();
    assertEquals(0L, inv.mismatch(), "the store's own count: 20 - (3 + 2 + 5 - 4) = " + balance);
    assertEquals(6, inv.confirmed(), "units confirmed: 3 + 2 + 5 - 4");
    assertEquals(4, r.summary().confirmations());
    assertEquals("release", r.release().decision(), r.release().decisionText());
  }

  /** Two withdrawals of 3 and 2 read the same balance of 20: the store ends at 18, so 3 units were lost. */
  @Test
  void multiUnitWithdrawals_racing_mismatchIsTheUnitsLost() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")));
    b.request(11, "A", "acct-1", Result.SUCCESS, 10, 100);
    b.read(11, "A", "acct-1", 7, 20, 20, 30);
    b.request(12, "B", "acct-1", Result.SUCCESS, 15, 110);
    b.read(12, "B", "acct-1", 7, 20, 40, 50);
    b.write(11, "A", "acct-1", 8, 17, 60, 70);
    b.write(12, "B", "acct-1", 8, 18, 80, 90);
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals(3L, r.detectors().invariant().mismatch(), "confirmed 3 + 2 units, the balance fell by 20 - 18 = 2");
    assertEquals(1, r.detectors().lostUpdates().lostUpdates());
    assertEquals(3, r.detectors().lostUpdates().erasedUnits());
    assertEquals("do_not_release", r.release().decision());
  }

  /**
   * A write over a state 100 writes old (a request stalled between its read and its write while
   * 100 others went through) is a lost update that erased 100 transitions: no fixed window.
   */
  @Test
  void staleWriteOverAStateManyWritesOld_isCounted_withAllItErased() throws Exception {
    TraceBuilder b = synchronous(new TraceBuilder(tmp.resolve("q")));
    b.request(12, "slow", "sku-1", Result.SUCCESS, 0, 100_000);
    b.read(12, "slow", "sku-1", 0, 1000, 1, 2);
    long t = 10;
    for (int i = 0; i < 100; i++) {
      b.request(11, "R" + i, "sku-1", Result.SUCCESS, t, t + 50);
      b.read(11, "R" + i, "sku-1", i, 1000 - i, t + 5, t + 10);
      b.write(11, "R" + i, "sku-1", i + 1, 999 - i, t + 20, t + 30);
      t += 100;
    }
    b.write(12, "slow", "sku-1", 1, 999, 99_000, 99_010);
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates(), "the store's own count: one write over a replaced state");
    assertEquals(0, lu.aheadWrites());
    assertEquals(100, lu.erasedUpdates(), "it erased the 100 transitions after version 0");
    assertEquals(100L, r.detectors().invariant().mismatch(), "101 units confirmed; the store fell from 1000 to 999, by 1");
  }
}
