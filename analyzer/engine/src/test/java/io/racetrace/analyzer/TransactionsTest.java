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
 * Writes take effect when their transaction commits (COMMIT and ROLLBACK rows, schema 4): a
 * rolled-back write moves no key's state and backs no confirmation. Expected figures are what the
 * store keeps, from the rows' own story.
 */
class TransactionsTest {
  @TempDir Path tmp;

  TraceBuilder b() {
    return new TraceBuilder(tmp.resolve("q"));
  }

  AnalysisResult analyze(TraceBuilder b) throws Exception {
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  static TraceRow boundary(TraceBuilder b, EventKind kind, Result result, long thread, String req, long atUs) {
    return b.add(kind, result, thread, req, null, atUs, atUs);
  }

  /**
   * The soak's false duplicate: a delivery whose write rolled back (its idempotency insert failed)
   * answers 5xx; the client's resend confirms. Without transaction rows the analyzer counted two
   * write-backed confirmations of one id; with them, one, and the stock fell by one unit.
   */
  @Test
  void aRolledBackWrite_backsNoConfirmation_andMovesNoState() throws Exception {
    TraceBuilder b = b();
    b.request(11, "r1", "sku", Result.SUCCESS, 0, 50);   // answered before the failure it did not see
    b.readValue(11, "r1", "sku", 10, 10, 20);
    b.writeValue(11, "r1", "sku", 9, 30, 40);
    boundary(b, EventKind.ROLLBACK, Result.SUCCESS, 11, null, 60); // the proxy rolled back after it returned
    b.request(12, "r1", "sku", Result.SUCCESS, 100, 150); // the resend
    b.readValue(12, "r1", "sku", 10, 110, 120);           // the store still holds 10
    b.writeValue(12, "r1", "sku", 9, 130, 140);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 12, "r1", 145);
    AnalysisResult r = analyze(b);
    assertEquals(0, r.detectors().duplicates().duplicateConfirmations());
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0L, r.detectors().invariant().mismatch(), "one unit confirmed, one taken");
    var t = r.input().transactions();
    assertTrue(t.probed());
    assertEquals(1, t.commits());
    assertEquals(1, t.rollbacks());
    assertEquals(1, t.writesCommitted());
    assertEquals(1, t.writesRolledBack());
    assertEquals(2, r.detectors().retries().writeAttempts(), "a rolled-back write was still a storage attempt");
  }

  /**
   * The worker-restart shape of an idempotent service: a delivery's write commits, but the restart
   * answers it 503; the client's resend is answered SUCCESS from the idempotency record, with no
   * write of its own. The client holds one confirmation, backed by the committed write: the store
   * took one unit and one was confirmed. A third delivery that writes again takes a second unit
   * for the same id: a duplicate confirmation.
   */
  @Test
  void aReplayAnsweringACommittedWriteThatGot5xx_confirmsThatWrite() throws Exception {
    TraceBuilder b = committedThen503ThenReplay(b());
    b.readValue(13, "r2", "sku", 9, 210, 220);            // another request: the store holds 9
    b.writeValue(13, "r2", "sku", 8, 230, 240);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 13, "r2", 245);
    b.request(13, "r2", "sku", Result.SUCCESS, 200, 250);
    AnalysisResult r = analyze(b);
    var d = r.detectors().duplicates();
    assertEquals(0, d.duplicateConfirmations());
    assertEquals(1, d.idempotentReplays(), "the resend replayed the committed write's outcome");
    assertEquals(0, d.confirmationsWithoutWrite());
    assertEquals(0L, r.detectors().invariant().mismatch(), "two units confirmed, two taken");
    assertEquals(2, r.detectors().invariant().confirmed());

    TraceBuilder again = committedThen503ThenReplay(new TraceBuilder(tmp.resolve("q2")));
    again.readValue(13, "r1", "sku", 9, 210, 220);        // a third delivery the service did not recognise
    again.writeValue(13, "r1", "sku", 8, 230, 240);
    boundary(again, EventKind.COMMIT, Result.SUCCESS, 13, "r1", 245);
    again.request(13, "r1", "sku", Result.SUCCESS, 200, 250);
    AnalysisResult twice = analyze(again);
    assertEquals(1, twice.detectors().duplicates().duplicateConfirmations(), "one id, two units taken");
    assertEquals(1L, twice.detectors().invariant().mismatch(), "one id confirmed, two units taken");
    assertEquals(1, twice.detectors().invariant().overApplied());
  }

  /**
   * r1 and r2 both read 10; r1 writes 9 holding the row lock, r2's write of 9 goes through once r1
   * ended, and r2 commits (at 70). r1's COMMIT row is the caller's to add, late.
   */
  static TraceBuilder r2LetThroughAfterR1(TraceBuilder b) {
    b.request(11, "r1", "sku", Result.SUCCESS, 0, 210);
    b.readValue(11, "r1", "sku", 10, 10, 20);
    b.request(12, "r2", "sku", Result.SUCCESS, 5, 80);
    b.readValue(12, "r2", "sku", 10, 15, 25);
    b.writeValue(11, "r1", "sku", 9, 30, 40);
    b.writeValue(12, "r2", "sku", 9, 50, 60);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 12, "r2", 70);
    return b;
  }

  /** r1 takes a unit (10 to 9) and commits; the restart answers it 503; its resend is answered SUCCESS from the record. */
  static TraceBuilder committedThen503ThenReplay(TraceBuilder b) {
    b.readValue(11, "r1", "sku", 10, 10, 20);
    b.writeValue(11, "r1", "sku", 9, 30, 40);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "r1", 45);
    b.request(11, "r1", "sku", Result.ERROR, 0, 50);
    b.request(12, "r1", "sku", Result.SUCCESS, 100, 150);
    return b;
  }

  /**
   * The BankJdbcIT shape: r2's committed write waits for r1's late COMMIT row (the store let it
   * through only after r1), so r2's confirmation completes after r2's resend, which the idempotent
   * service answered SUCCESS from its record with no write. That earlier-completed answer is the
   * confirmation's replay, not a confirmation without a write.
   */
  @Test
  void aReplayCompletedBeforeItsLateConfirmation_isAReplay() throws Exception {
    TraceBuilder b = r2LetThroughAfterR1(b());
    b.request(13, "r2", "sku", Result.SUCCESS, 100, 120);   // the resend, answered from the record
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "r1", 200);
    AnalysisResult r = analyze(b);
    var d = r.detectors().duplicates();
    assertEquals(0, d.duplicateConfirmations());
    assertEquals(1, d.idempotentReplays());
    assertEquals(0, d.confirmationsWithoutWrite());
    assertEquals(1, r.detectors().lostUpdates().lostUpdates(), "both read 10 and wrote 9");
    assertEquals(1L, r.detectors().invariant().mismatch(), "two confirmed, one unit taken");
  }

  /** A resend answered SUCCESS for a delivery whose write rolled back confirms nothing: nothing was taken. */
  /**
   * r2 reads after r1's write returned but before r1's transaction committed, so it sees the old
   * version: with commit rows that is an overlapping window (it lasts until the commit), and the
   * lost update is counted in one; without them the window ended at the write's return.
   */
  @Test
  void aWindowLastsUntilItsCommit_aReadBeforeTheCommitOverlapsIt() throws Exception {
    for (boolean commits : new boolean[] {true, false}) {
      TraceBuilder b = new TraceBuilder(tmp.resolve("q-" + commits));
      b.request(11, "r1", "sku", Result.SUCCESS, 0, 105);
      b.read(11, "r1", "sku", 1, 10, 10, 20);
      b.write(11, "r1", "sku", 2, 9, 30, 40);
      b.request(12, "r2", "sku", Result.SUCCESS, 50, 135);
      b.read(12, "r2", "sku", 1, 10, 60, 70);
      b.write(12, "r2", "sku", 2, 9, 110, 120);
      if (commits) {
        boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "r1", 100);
        boundary(b, EventKind.COMMIT, Result.SUCCESS, 12, "r2", 130);
      }
      var lu = analyze(b).detectors().lostUpdates();
      assertEquals(1, lu.lostUpdates(), "commits " + commits);
      assertEquals(commits ? 1 : 0, lu.overlappingWindows(), "commits " + commits);
      assertEquals(commits ? 1 : 0, lu.lostUpdatesInOverlappingWindows(), "commits " + commits);
    }
  }

  @Test
  void aReplayAfterARolledBackWrite_confirmsNothing() throws Exception {
    TraceBuilder b = b();
    b.readValue(11, "r1", "sku", 10, 10, 20);
    b.writeValue(11, "r1", "sku", 9, 30, 40);
    boundary(b, EventKind.ROLLBACK, Result.SUCCESS, 11, "r1", 45);
    b.request(11, "r1", "sku", Result.ERROR, 0, 50);
    b.request(12, "r1", "sku", Result.SUCCESS, 100, 150);
    AnalysisResult r = analyze(b);
    var d = r.detectors().duplicates();
    assertEquals(0, d.idempotentReplays());
    assertEquals(1, d.confirmationsWithoutWrite(), "a SUCCESS with no write behind it");
    assertEquals(0, r.detectors().invariant().confirmed());
  }

  /** The same rows without the boundaries: the analyzer takes both writes as applied, and says it has no transaction probes. */
  @Test
  void withoutTransactionRows_bothWritesCount_andTheReportSaysWhy() throws Exception {
    TraceBuilder b = b();
    b.request(11, "r1", "sku", Result.SUCCESS, 0, 50);
    b.readValue(11, "r1", "sku", 10, 10, 20);
    b.writeValue(11, "r1", "sku", 9, 30, 40);
    b.request(12, "r1", "sku", Result.SUCCESS, 100, 150);
    b.readValue(12, "r1", "sku", 10, 110, 120);
    b.writeValue(12, "r1", "sku", 9, 130, 140);
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().duplicates().duplicateConfirmations());
    assertFalse(r.input().transactions().probed());
  }

  /** A commit that threw committed nothing: like a rollback. */
  @Test
  void aCommitThatThrew_discardsItsWrites() throws Exception {
    TraceBuilder b = b();
    b.request(11, "r1", "sku", Result.ERROR, 0, 50);
    b.readValue(11, "r1", "sku", 10, 10, 20);
    b.writeValue(11, "r1", "sku", 9, 30, 40);
    boundary(b, EventKind.COMMIT, Result.ERROR, 11, "r1", 45).detail("org.postgresql.util.PSQLException");
    b.request(12, "r2", "sku", Result.SUCCESS, 100, 150);
    b.readValue(12, "r2", "sku", 10, 110, 120);
    b.writeValue(12, "r2", "sku", 9, 130, 140);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 12, "r2", 145);
    AnalysisResult r = analyze(b);
    assertEquals(0, r.detectors().lostUpdates().lostUpdates(), "r2 read the state r1's failed commit left unchanged");
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals(1, r.input().transactions().writesRolledBack());
  }

  /**
   * Reads before a commit see the state before it, and the analyzer applies the write at its
   * commit: B reads after A's write row but before A's commit, then writes after A committed: a
   * lost update, decided exactly (without the COMMIT row the read would be ambiguous).
   */
  @Test
  void writesApplyAtTheirCommit_inCommitOrder() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 5, 200);
    b.readValue(11, "A", "sku", 10, 10, 20);
    b.writeValue(11, "A", "sku", 9, 30, 40);
    b.readValue(12, "B", "sku", 10, 45, 50);            // A has not committed: B sees 10
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "A", 60);
    b.writeValue(12, "B", "sku", 9, 150, 160);          // over A's committed 9
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 12, "B", 170);
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0, r.detectors().lostUpdates().undecidedWrites());
    assertEquals(1L, r.detectors().invariant().mismatch(), "two confirmed, one unit taken");
  }

  /** A thread that moves on to its next request with writes held and no boundary wrote them in autocommit mode. */
  @Test
  void heldWrites_ofAThreadThatMovesOn_areTakenAsAutocommitted() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 50);
    b.readValue(11, "A", "sku", 10, 10, 20);
    b.writeValue(11, "A", "sku", 9, 30, 40);
    b.request(11, "C", "sku", Result.SUCCESS, 60, 100); // next request on the thread, no COMMIT between
    b.readValue(11, "C", "sku", 9, 70, 80);
    b.writeValue(11, "C", "sku", 8, 85, 90);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "C", 95);
    AnalysisResult r = analyze(b);
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals(1, r.input().transactions().writesWithoutBoundary());
    assertEquals(1, r.input().transactions().writesCommitted());
  }

  /**
   * A driver's {@code commit()} returns after the database made the transaction visible, so its
   * COMMIT row can leave after another thread read the committed state (seen on the Spring
   * service's JDBC boundaries). The read shows the held write's version: the transaction had
   * committed, and its write is placed before that read. Before, the read was "ahead" of every
   * write, r2's write (committed before r1's row came) was left unjudged, and r1's write, placed
   * after it, was a false lost update.
   */
  @Test
  void aCommitAReadShowsBeforeItsCommitRow_isPlacedAtThatRead() throws Exception {
    TraceBuilder b = b();
    b.request(11, "r1", "sku", Result.SUCCESS, 0, 160);
    b.read(11, "r1", "sku", 1, 10, 10, 20);
    b.cas(11, "r1", "sku", Result.SUCCESS, 1, 9, 30, 40);   // v2, held until its commit
    b.request(12, "r2", "sku", Result.SUCCESS, 45, 120);
    b.read(12, "r2", "sku", 2, 9, 50, 60);                  // r1's commit is visible...
    b.cas(12, "r2", "sku", Result.SUCCESS, 2, 8, 90, 100);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 12, "r2", 110);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "r1", 150); // ...long before its row
    AnalysisResult r = analyze(b);
    assertEquals(0, r.detectors().lostUpdates().lostUpdates());
    assertEquals(0, r.detectors().lostUpdates().aheadWrites());
    assertEquals(0L, r.detectors().invariant().mismatch(), "two units confirmed, two taken");
    assertEquals(1, r.input().transactions().commitsSeenBeforeTheirRow());
    assertEquals(2, r.input().transactions().writesCommitted());
  }

  /**
   * The store let r2's write through only once r1's transaction had ended (a row lock), but r1's
   * COMMIT row comes after r2's: r2's committed write waits for it and is placed after r1's. So r2
   * is the one that erased an update (both read 10 and wrote 9), as the store applied them.
   */
  @Test
  void aWriteTheStoreLetThroughAfterAnotherTransaction_isPlacedAfterIt_evenIfItsCommitRowCameFirst() throws Exception {
    TraceBuilder b = r2LetThroughAfterR1(b());
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 11, "r1", 200); // r1's commit() returned late
    AnalysisResult r = analyze(b);
    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates());
    String why = lu.examples().get(0).explanation();
    assertTrue(why.contains("Client B's write (r2) overwrote Client A's (r1)"), why);
    assertEquals(1L, r.detectors().invariant().mismatch(), "two units confirmed, one taken");
    assertEquals(1, r.input().transactions().commitsAfterAnOpenTransaction());
    assertEquals(2, r.input().transactions().writesCommitted());
  }

  /**
   * Differential seed 29261332. Reads show the version only; writes their version, value and the
   * units they took. r1 and r2 read 7 at v1; r2 writes 5 at v2 and commits; r1 then writes 4 at v2
   * (a lost update: r2's units are erased), and its transaction commits before r3 reads, but r1's
   * COMMIT row comes last. r3 reads v2, which both states show, and writes 3 taking 1: the stock it
   * read was 4, r1's state, not r2's 5. r3 lost nothing, and its amount agrees with its value.
   */
  @Test
  void aWritesValueAndAmount_nameTheStateAVersionOnlyReadSaw_whenTwoStatesShareTheVersion() throws Exception {
    TraceBuilder b = b();
    b.add(EventKind.READ, Result.SUCCESS, 2, "r2", "sku", 60, 60).readVersion(1);
    b.add(EventKind.READ, Result.SUCCESS, 1, "r1", "sku", 70, 70).readVersion(1);
    b.add(EventKind.WRITE, Result.SUCCESS, 2, "r2", "sku", 90, 90).writtenVersion(2).value(5).amount(2);
    b.request(2, "r2", "sku", Result.SUCCESS, 30, 110);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 2, null, 160);
    b.add(EventKind.WRITE, Result.SUCCESS, 1, "r1", "sku", 210, 210).writtenVersion(2).value(4).amount(3);
    b.request(1, "r1", "sku", Result.SUCCESS, 40, 240);
    b.add(EventKind.READ, Result.SUCCESS, 3, "r3", "sku", 260, 260).readVersion(2);
    b.add(EventKind.WRITE, Result.SUCCESS, 3, "r3", "sku", 270, 270).writtenVersion(3).value(3).amount(1);
    b.request(3, "r3", "sku", Result.SUCCESS, 250, 290);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 3, null, 300);
    boundary(b, EventKind.COMMIT, Result.SUCCESS, 1, null, 330); // r1's, late
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().lostUpdates().lostUpdates(), "r1 erased r2's write; r3 read r1's state");
    assertEquals(0, r.detectors().lostUpdates().undecidedWrites());
    assertEquals(0, r.detectors().invariant().amountDisagreements(), "r3 read 4 and wrote 3, taking 1");
  }
}
