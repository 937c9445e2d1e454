package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One state model per key, whatever the probes carry: the histories where the differential test
 * ({@code differential.DifferentialTest}) found the analyzer and the store's own count apart, each
 * reduced to a few rows. Expected figures are the store's: which successful writes applied over a
 * state (stock, and version where the store keeps one) their read no longer matched.
 */
class StateModelTest {
  @TempDir Path tmp;

  TraceBuilder b() {
    return new TraceBuilder(tmp.resolve("q"));
  }

  AnalysisResult analyze(TraceBuilder b) throws Exception {
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  /** A read probe with {@code version:} only. */
  static TraceRow readVersion(TraceBuilder b, long thread, String req, String key, long version, long atUs) {
    return b.add(EventKind.READ, Result.NONE, thread, req, key, atUs, atUs).readVersion(version);
  }

  /**
   * The ledger of issue 10: the store sets the revision itself, so the read shows it and the void
   * write cannot. A and B read revision 1; both write. The store's count: one write over a stale
   * revision. The analyzer used to keep revision 1 as current for ever (the writes carry none):
   * B's write was "fine" and every later read "ahead".
   */
  @Test
  void versionOnTheReadOnly_storeSetsIt_aVoidWriteOverAReadRevisionIsALostUpdate() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "acct", Result.SUCCESS, 0, 100);
    b.request(12, "B", "acct", Result.SUCCESS, 5, 110);
    b.read(11, "A", "acct", 1, 10, 10, 20);
    b.read(12, "B", "acct", 1, 10, 12, 22);
    b.writeValue(11, "A", "acct", 7, 30, 40); // withdraws 3; the store moves the revision to 2
    b.writeValue(12, "B", "acct", 8, 50, 60); // withdraws 2 over revision 2: A's 3 are erased; revision 3
    b.request(13, "C", "acct", Result.SUCCESS, 200, 300);
    b.read(13, "C", "acct", 3, 8, 210, 220); // the next read shows the revision the store set
    b.writeValue(13, "C", "acct", 5, 230, 240);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates());
    assertEquals(1, lu.sameVersionPairs());
    assertEquals(0, lu.aheadWrites(), "C read the revision the store set: the current state, not one ahead");
    assertEquals(3L, r.detectors().invariant().mismatch(), "confirmed 3 + 2 + 3, the balance fell by 10 - 5");
    assertEquals("race", r.rootCause().primary());
  }

  /**
   * The JDBC stock of issue 10: the database bumps the version ({@code version = version + 1}) and
   * commits after the update's row has left (the DAO returned inside the transaction). C's read
   * left after B's write row but before B's commit, so it saw A's state, v2, which no row had
   * shown: the analyzer took it for a state still to come ("ahead") and did not count C's write
   * over v3. The store's counter names the state a read's version belongs to.
   */
  @Test
  void storeCountsVersions_aReadBeforeTheLastWritesCommit_observedThePreviousState() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 200);
    b.request(13, "C", "sku", Result.SUCCESS, 50, 300);
    b.request(14, "D", "sku", Result.SUCCESS, 400, 500);
    b.read(11, "A", "sku", 1, 10, 10, 11);
    b.read(12, "B", "sku", 1, 10, 12, 13);
    b.writeValue(11, "A", "sku", 9, 20, 21); // takes 1: v2, committed at 30
    b.writeValue(12, "B", "sku", 8, 22, 40); // waited for A's lock; takes 2 over v2 (stale): v3, committed at 60
    b.read(13, "C", "sku", 2, 9, 45, 50); // B has not committed: C sees A's v2
    b.writeValue(13, "C", "sku", 8, 70, 80); // takes 1 over v3 (stale): v4
    b.read(14, "D", "sku", 4, 8, 410, 420);
    b.writeValue(14, "D", "sku", 7, 430, 440);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(2, lu.lostUpdates(), "B over v2, C over v3");
    assertEquals(0, lu.aheadWrites());
    assertEquals(2, lu.erasedUnits(), "B wrote over 9 having read 10, C over 8 having read 9");
    assertEquals(2L, r.detectors().invariant().mismatch(), "confirmed 1 + 2 + 1 + 1, the stock fell by 10 - 7");
  }

  /**
   * The counter above is assumed, never imposed: a store whose version is a timestamp it sets on
   * every write (1000, then 1057, 1100...) shows versions that run ahead of the writes, and the
   * chain falls back to the versions rows show. B's write over A's is the only lost update.
   */
  @Test
  void storeSetsTimestampVersions_notACounter_judgedByTheVersionsReadsShow() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 100);
    b.read(11, "A", "sku", 1000, 10, 10, 11);
    b.read(12, "B", "sku", 1000, 10, 12, 13);
    b.writeValue(11, "A", "sku", 9, 20, 21);
    b.writeValue(12, "B", "sku", 9, 30, 31); // over A's state: lost
    long t = 200;
    long version = 1200;
    for (int i = 0; i < 5; i++) {
      b.request(13, "S" + i, "sku", Result.SUCCESS, t, t + 50);
      b.read(13, "S" + i, "sku", version, 9 - i, t + 10, t + 11);
      b.writeValue(13, "S" + i, "sku", 8 - i, t + 20, t + 21);
      t += 100;
      version += 57;
    }
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates());
    assertEquals(0, lu.aheadWrites());
    assertEquals(0, lu.undecidedWrites());
    assertEquals(1L, r.detectors().invariant().mismatch(), "confirmed 7, the stock fell by 10 - 4");
  }

  /**
   * The Spring service of issue 11 probed on its {@code @Transactional} method: the proxy commits
   * after the method returns, so the ORM's flush (the write) comes after the REQUEST row, outside
   * any request. Every request then reads and answers SUCCESS without a write, and the writes are
   * "outside requests": no lost update can be judged, and the analyzer used to say "release" over
   * a lost update. Now the writes after their request are counted and block the release.
   */
  @Test
  void writesAfterTheirRequestAnswered_areCountedAndBlockTheRelease() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 30);
    b.request(12, "B", "sku", Result.SUCCESS, 2, 32);
    b.read(11, "A", "sku", 1, 10, 10, 11);
    b.read(12, "B", "sku", 1, 10, 12, 13);
    b.write(11, null, "sku", 2, 9, 31, 35); // A's flush, after A's request row (ended at 30)
    b.write(12, null, "sku", 2, 9, 33, 37); // B's, over A's: lost, but no request holds it
    b.write(13, null, "sku", 3, 20, 100, 101); // a restock on another thread: outside requests, and fine
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(3, lu.writesOutsideRequests());
    assertEquals(2, lu.writesAfterTheirRequest());
    var row = r.release().table().stream().filter(x -> x.id().equals("requestCorrelation")).findFirst().orElseThrow();
    assertEquals("not measured", row.status());
    assertEquals("do_not_release", r.release().decision());
  }

  /** A first read that showed nothing (a null record at run time) used to leave the key without a state for ever. */
  @Test
  void firstReadShowsNothing_laterReadsStillTellTheStateTheyObserved() throws Exception {
    TraceBuilder b = b();
    b.request(11, "R0", "acct", Result.SUCCESS, 0, 50);
    b.add(EventKind.READ, Result.NONE, 11, "R0", "acct", 10, 10); // neither version nor value
    b.writeValue(11, "R0", "acct", 9, 20, 30);
    b.request(11, "A", "acct", Result.SUCCESS, 100, 200);
    b.request(12, "B", "acct", Result.SUCCESS, 105, 210);
    readVersion(b, 11, "A", "acct", 2, 110);
    readVersion(b, 12, "B", "acct", 2, 112);
    b.writeValue(11, "A", "acct", 8, 130, 140);
    b.writeValue(12, "B", "acct", 8, 150, 160);
    var lu = analyze(b).detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates(), "B wrote over revision 3, having read 2");
    assertEquals(1, lu.undecidedWrites(), "R0's read showed nothing: its write is undecided, not judged");
    assertEquals(0, lu.unjudgedWrites());
  }

  /**
   * The booking desk of issue 10: no version anywhere, the count read and the count left written.
   * A request reads 20,000 and stalls while 10,000 others go through; its write of 19,999 erases
   * them all. The analyzer used to recognise a stale value only among the last 64 written.
   */
  @Test
  void valuesOnly_aWriteOverAStockTenThousandWritesOld_isALostUpdate() throws Exception {
    TraceBuilder b = b();
    int others = 10_000;
    long end = 20L * others + 100;
    b.request(12, "slow", "desk", Result.SUCCESS, 0, end);
    b.readValue(12, "slow", "desk", 20_000, 1, 2);
    long t = 10;
    for (int i = 0; i < others; i++) {
      b.request(11, "R" + i, "desk", Result.SUCCESS, t, t + 15);
      b.readValue(11, "R" + i, "desk", 20_000 - i, t + 1, t + 2);
      b.writeValue(11, "R" + i, "desk", 19_999 - i, t + 3, t + 4);
      t += 20;
    }
    b.writeValue(12, "slow", "desk", 19_999, end - 10, end - 5);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates());
    assertEquals(0, lu.aheadWrites());
    assertEquals(others, lu.erasedUnits(), "it wrote 19,999 over a current 10,000");
    assertEquals((long) others, r.detectors().invariant().mismatch(), "10,001 confirmed, the count fell by 1");
  }

  /**
   * A service that sets versions (read version + 1) and a stale write that reused one: two states
   * share version 2, and the stock tells them apart. C read A's state (9 at v2); B's stale write
   * replaced it with 7 at v2; C's write over it erased B's 3. The analyzer used to see "v2 = v2".
   */
  @Test
  void serviceSetVersions_twoStatesShareAVersion_theStockTellsThemApart() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 200);
    b.read(11, "A", "sku", 1, 10, 10, 11);
    b.read(12, "B", "sku", 1, 10, 12, 13);
    b.write(11, "A", "sku", 2, 9, 20, 21); // takes 1
    b.request(13, "C", "sku", Result.SUCCESS, 25, 300);
    b.read(13, "C", "sku", 2, 9, 30, 31);
    b.write(12, "B", "sku", 2, 7, 40, 41); // takes 3 over A's state: stale
    b.write(13, "C", "sku", 3, 8, 50, 51); // takes 1 over B's state: stale too
    var lu = analyze(b).detectors().lostUpdates();
    assertEquals(2, lu.lostUpdates());
  }

  /** The same, where B took as much as A: its state equals A's, so C's write was based on the current state. */
  @Test
  void serviceSetVersions_twoEqualStatesShareAVersion_areOneStateToTheWriteOverThem() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 200);
    b.read(11, "A", "sku", 1, 10, 10, 11);
    b.read(12, "B", "sku", 1, 10, 12, 13);
    b.write(11, "A", "sku", 2, 9, 20, 21);
    b.request(13, "C", "sku", Result.SUCCESS, 25, 300);
    b.read(13, "C", "sku", 2, 9, 30, 31);
    b.write(12, "B", "sku", 2, 9, 40, 41); // stale, and leaves exactly what A left
    b.write(13, "C", "sku", 3, 8, 50, 51);
    var lu = analyze(b).detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates(), "B only");
  }

  /** No version anywhere: the state is the stock. A stock that came back (a restock) is the state A read. */
  @Test
  void valuesOnly_aStockThatCameBack_isTheStateTheReadObserved() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "desk", Result.SUCCESS, 0, 100);
    b.readValue(11, "A", "desk", 10, 1, 2);
    b.request(12, "B", "desk", Result.SUCCESS, 5, 30);
    b.readValue(12, "B", "desk", 10, 10, 11);
    b.writeValue(12, "B", "desk", 9, 12, 13);
    b.writeValue(13, null, "desk", 10, 40, 41); // a restock outside any request
    b.writeValue(11, "A", "desk", 7, 60, 61);
    AnalysisResult r = analyze(b);
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0L, r.detectors().invariant().mismatch(), "confirmed 3 + 1; 10 + 1 restocked - 7");
  }

  /**
   * With a version, the same restock makes a new state: A's write over it is a lost update (its
   * read's state was replaced; a conditional write would have failed), though no unit went missing.
   */
  @Test
  void versioned_aStockThatCameBackAtANewVersion_isAnotherState() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.read(11, "A", "sku", 1, 10, 1, 2);
    b.request(12, "B", "sku", Result.SUCCESS, 5, 30);
    b.read(12, "B", "sku", 1, 10, 10, 11);
    b.write(12, "B", "sku", 2, 9, 12, 13);
    b.write(13, null, "sku", 3, 10, 40, 41);
    b.write(11, "A", "sku", 2, 7, 60, 61);
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().lostUpdates().lostUpdates(), "the state A read (10 at v1) was replaced");
    assertEquals(0, r.detectors().lostUpdates().erasedUnits(), "though the stock it wrote over was the one it read");
    assertEquals(0L, r.detectors().invariant().mismatch(), "confirmed 3 + 1; 10 + 1 restocked - 7");
  }

  /** A read that showed neither version nor value observed a state no row names: undecided, not judged either way. */
  @Test
  void readShowingNothing_itsWriteIsUndecided_neitherLostNorFine() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.read(11, "A", "sku", 1, 10, 1, 2);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 100);
    b.add(EventKind.READ, Result.NONE, 12, "B", "sku", 3, 3);
    b.write(11, "A", "sku", 2, 9, 10, 11);
    b.write(12, "B", "sku", 3, 9, 20, 21);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(0, lu.lostUpdates());
    assertEquals(1, lu.undecidedWrites());
    assertNull(r.detectors().invariant().mismatch(), "what B took is not in the rows");
    var json = io.racetrace.analyzer.report.JsonReport.MAPPER_FOR_TOOLS.readTree(
        io.racetrace.analyzer.report.JsonReport.toJson(r));
    assertEquals(1, json.path("detectors").path("lostUpdates").path("undecidedWrites").asLong(-1), "in report.json");
  }

  /**
   * The store sets the version and bumps it on every write, and the write returns the saved record
   * (JPA {@code save}): A and B read v1, both write, v2 then v3. One update lost; the versions
   * moved once per write. The invariant used to be judged on versions (2 confirmations, 2
   * transitions: "holds") when the rows show no stock: in the service's units it cannot be told.
   */
  @Test
  void invariant_rowsShowNoStockRead_notMeasured_insteadOfOneUnitPerConfirmation() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 100);
    readVersion(b, 11, "A", "sku", 1, 10);
    readVersion(b, 12, "B", "sku", 1, 12);
    b.write(11, "A", "sku", 2, 7, 20, 21);
    b.write(12, "B", "sku", 3, 8, 30, 31);
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().lostUpdates().lostUpdates());
    assertNull(r.detectors().invariant().mismatch(), "I0 and what each request took are not in the rows");
    assertEquals(0, r.detectors().invariant().keysChecked());
    assertEquals(1, r.detectors().invariant().keysUnknown());
    assertNotEquals("release", r.release().decision());
  }

  /**
   * A safe ledger (conditional writes) whose reads show the revision only, after a restock that
   * shows the balance: each confirmed request's effect is the balance of the state it read (from
   * the write that made it) minus what it wrote, 3 and 2. It used to count one unit each, and
   * failed a correct service with a mismatch of 3.
   */
  @Test
  void invariant_readsShowTheRevisionOnly_effectsInUnitsFromTheStatesTheyRead() throws Exception {
    TraceBuilder b = b();
    b.write(9, null, "acct", 1, 10, 0, 1); // a restock outside requests: balance 10 at revision 1
    b.request(11, "A", "acct", Result.SUCCESS, 5, 50);
    readVersion(b, 11, "A", "acct", 1, 10);
    b.cas(11, "A", "acct", Result.SUCCESS, 1, 7, 20, 21);
    b.request(11, "B", "acct", Result.SUCCESS, 60, 100);
    readVersion(b, 11, "B", "acct", 2, 70);
    b.cas(11, "B", "acct", Result.SUCCESS, 2, 5, 80, 81);
    var inv = analyze(b).detectors().invariant();
    assertEquals(0L, inv.mismatch());
    assertEquals(5, inv.confirmed(), "3 + 2 units");
  }

  /**
   * A broken store (its compare-and-set checks, then writes, in two steps). B's stale conditional
   * write stores v2 again, with another stock; C had read A's v2 and its conditional write
   * succeeds over B's. Nothing consumed v2 twice, but C's read state was replaced: a CAS violation.
   */
  @Test
  void brokenStore_aConditionalWriteOverAReplacedStateOfTheSameVersion_isACasViolation() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 200);
    b.read(11, "A", "sku", 1, 10, 1, 2);
    b.read(12, "B", "sku", 1, 10, 3, 4);
    b.cas(11, "A", "sku", Result.SUCCESS, 1, 9, 10, 11);
    b.request(13, "C", "sku", Result.SUCCESS, 12, 300);
    b.read(13, "C", "sku", 2, 9, 13, 14);
    b.cas(12, "B", "sku", Result.SUCCESS, 1, 7, 20, 21); // v1 consumed already: a violation
    b.cas(13, "C", "sku", Result.SUCCESS, 2, 8, 30, 31); // over B's 7 at v2, having read 9 at v2
    var lu = analyze(b).detectors().lostUpdates();
    assertEquals(2, lu.casViolations());
    assertEquals(2, lu.lostUpdates());
  }

  /**
   * The same broken store stores a consumed version again: Y's stale write makes 5 at v3 current
   * once more, after X had consumed v3. Z reads that state and writes over it: no violation. The
   * analyzer used to remember v3 as consumed for ever.
   */
  @Test
  void brokenStore_storesAConsumedVersionAgain_aConditionalWriteOverItIsFine() throws Exception {
    TraceBuilder b = b();
    b.request(11, "X", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "Y", "sku", Result.SUCCESS, 0, 200);
    b.read(11, "X", "sku", 2, 6, 1, 2);
    b.read(12, "Y", "sku", 2, 6, 3, 4);
    b.cas(11, "X", "sku", Result.SUCCESS, 2, 5, 10, 11);
    b.request(11, "X2", "sku", Result.SUCCESS, 101, 150);
    b.read(11, "X2", "sku", 3, 5, 102, 103);
    b.cas(11, "X2", "sku", Result.SUCCESS, 3, 3, 110, 111); // consumes v3
    b.cas(12, "Y", "sku", Result.SUCCESS, 2, 5, 120, 121); // v2 consumed: a violation; stores 5 at v3 again
    b.request(13, "Z", "sku", Result.SUCCESS, 201, 300);
    b.read(13, "Z", "sku", 3, 5, 210, 211);
    b.cas(13, "Z", "sku", Result.SUCCESS, 3, 4, 220, 221);
    var lu = analyze(b).detectors().lostUpdates();
    assertEquals(1, lu.casViolations(), "Y only");
  }

  /**
   * Differential seed 774. Reads show the version only; writes their version and value. The
   * key's first row is a blank read, so the first version a read shows (v1) comes after a write
   * whose version (v2) is known: v1 is the state before that write (its transaction had not
   * committed), not the current one. The analyzer anchored the store's counter there and took
   * both v1 reads as of the current state: two lost updates missed.
   */
  @Test
  void aFirstReadVersionBelowTheCurrentStatesKnownOne_isOfTheStateBefore() throws Exception {
    TraceBuilder b = b();
    String none = TraceBuilder.NO_ID;
    b.add(EventKind.READ, Result.NONE, 13, none, "sku", 40, 40);   // blank
    b.add(EventKind.WRITE, Result.SUCCESS, 13, none, "sku", 50, 50).writtenVersion(2).value(0);
    readVersion(b, 10, none, "sku", 1, 60);
    readVersion(b, 12, none, "sku", 1, 100);
    b.add(EventKind.WRITE, Result.SUCCESS, 10, none, "sku", 120, 120).writtenVersion(2).value(0);
    b.request(10, none, "sku", Result.SUCCESS, 20, 140);
    b.add(EventKind.WRITE, Result.SUCCESS, 12, none, "sku", 150, 150).writtenVersion(2).value(0);
    b.request(12, none, "sku", Result.SUCCESS, 90, 170);
    b.request(13, none, "sku", Result.SUCCESS, 30, 180);
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(2, lu.lostUpdates(), "both v1 reads were of the state before the first write");
    assertEquals(1, lu.undecidedWrites(), "the blank read's write");
  }

  /**
   * Differential seed 29261749, without its transactions. Reads show the version only. A and B
   * read v1; A writes 5 at v2; C reads v2; B's stale write of 4 at v2 (a lost update) leaves after
   * C's read began, so C may have seen either state of v2. Without an amount C's write is
   * undecided (it was counted lost); with one, its value and amount say which stock it read.
   */
  @Test
  void aVersionOnlyReadOfAVersionALaterStateShares_isUndecided_unlessTheWritesAmountTells() throws Exception {
    for (Long amount : new Long[] {null, 1L, 0L}) {
      TraceBuilder b = new TraceBuilder(tmp.resolve("q" + amount));
      readVersion(b, 1, "A", "sku", 1, 10);
      readVersion(b, 2, "B", "sku", 1, 20);
      b.add(EventKind.WRITE, Result.SUCCESS, 1, "A", "sku", 30, 30).writtenVersion(2).value(5);
      b.request(1, "A", "sku", Result.SUCCESS, 5, 40);
      readVersion(b, 3, "C", "sku", 2, 50);
      b.add(EventKind.WRITE, Result.SUCCESS, 2, "B", "sku", 60, 60).writtenVersion(2).value(4);
      b.request(2, "B", "sku", Result.SUCCESS, 15, 70);
      TraceRow c = b.add(EventKind.WRITE, Result.SUCCESS, 3, "C", "sku", 80, 80).writtenVersion(3);
      if (amount == null) {
        c.value(3);
      } else {
        c.value(4 - amount).amount(amount); // read B's 4: took 1, or nothing
      }
      b.request(3, "C", "sku", Result.SUCCESS, 45, 90);
      var lu = analyze(b).detectors().lostUpdates();
      String shape = amount == null ? "no amount" : "amount " + amount;
      assertEquals(1, lu.lostUpdates(), shape + ": B erased A's write; C read B's state or cannot be told");
      assertEquals(amount == null ? 1 : 0, lu.undecidedWrites(), shape);
    }
    // C's value and amount say it read A's 5: stale.
    TraceBuilder b = new TraceBuilder(tmp.resolve("stale"));
    readVersion(b, 1, "A", "sku", 1, 10);
    readVersion(b, 2, "B", "sku", 1, 20);
    b.add(EventKind.WRITE, Result.SUCCESS, 1, "A", "sku", 30, 30).writtenVersion(2).value(5);
    b.request(1, "A", "sku", Result.SUCCESS, 5, 40);
    readVersion(b, 3, "C", "sku", 2, 50);
    b.add(EventKind.WRITE, Result.SUCCESS, 2, "B", "sku", 60, 60).writtenVersion(2).value(4);
    b.request(2, "B", "sku", Result.SUCCESS, 15, 70);
    b.add(EventKind.WRITE, Result.SUCCESS, 3, "C", "sku", 80, 80).writtenVersion(3).value(4).amount(1);
    b.request(3, "C", "sku", Result.SUCCESS, 45, 90);
    var lu = analyze(b).detectors().lostUpdates();
    assertEquals(2, lu.lostUpdates(), "C read 5 (4 + 1), A's state: B's write is erased too");
    assertEquals(0, lu.undecidedWrites());
  }
}
