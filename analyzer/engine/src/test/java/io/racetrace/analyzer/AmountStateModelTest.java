package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.trace.Result;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invariant in the service's own units when a write carries no value but the units it took
 * (a write probe's {@code amount:}): a relative {@code UPDATE ... SET balance = balance - ?}, a
 * {@code void debit(account, amount)}. Each history is a few rows; the expected figures are the
 * store's own books (balances and what each request took), worked out by hand in the comments.
 */
class AmountStateModelTest {
  @TempDir Path tmp;

  TraceBuilder b() {
    return new TraceBuilder(tmp.resolve("q"));
  }

  AnalysisResult analyze(TraceBuilder b) throws Exception {
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  /**
   * A check-then-debit ledger on a relative update. A and B both read 100 and both debit: the
   * database applies each to what is there (100 - 30 - 50 = 20), so nothing is lost, though both
   * checked a balance that was gone for B. C debits 5 and then fails (its request answers 5xx): the
   * money left, nothing was confirmed. D reads the 15 the store holds. The books: confirmed 30 + 50,
   * the balance fell by 100 - 15 = 85: over-applied 5. Without amounts the rows showed no balance
   * after a debit, and the key's invariant was not measured.
   */
  @Test
  void relativeDebits_invariantInTheServicesUnits_overAppliedByAFailedRequest_noLostUpdate() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "acct", Result.SUCCESS, 0, 100);
    b.request(12, "B", "acct", Result.SUCCESS, 5, 110);
    b.readValue(11, "A", "acct", 100, 10, 10);
    b.readValue(12, "B", "acct", 100, 12, 12);
    b.writeAmount(11, "A", "acct", 30, 30, 30);
    b.writeAmount(12, "B", "acct", 50, 50, 50);
    b.request(13, "C", "acct", Result.ERROR, 200, 260);
    b.readValue(13, "C", "acct", 20, 210, 210);
    b.writeAmount(13, "C", "acct", 5, 220, 220);
    b.request(14, "D", "acct", Result.REJECTED, 300, 320);
    b.readValue(14, "D", "acct", 15, 310, 310);
    Path csv = tmp.resolve("rows.csv");
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS, AnalysisOptions.DEFAULTS.withRowsCsv(csv));
    var lu = r.detectors().lostUpdates();
    var inv = r.detectors().invariant();
    assertEquals(0, lu.lostUpdates(), "a relative debit takes from what is there: it erases no one's");
    assertEquals(0, lu.undecidedWrites());
    assertEquals(3, lu.relativeWrites());
    assertEquals(0, lu.aheadWrites(), "every read showed the balance the debits left");
    assertEquals(5L, inv.mismatch());
    assertEquals(5, inv.overApplied());
    assertEquals(80, inv.confirmed());
    assertEquals(1, inv.keysChecked());
    assertEquals(0, inv.keysUnknown());
    assertEquals(15, inv.worstKeys().get(0).remaining(), "the balance the chain carries, from the debits");
    assertEquals(0, inv.amountDisagreements());
    try (Reader in = Files.newBufferedReader(csv)) {
      List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
      // In end-time order: the reads of A and B, their debits, their answers, C's read, debit, answer, D's.
      assertEquals(List.of("", "", "30", "50", "", "", "", "5", "", "", ""), rows.stream().map(x -> x.get("amount")).toList());
      assertEquals("WRITE", rows.get(2).get("kind"));
      assertEquals("", rows.get(2).get("value"), "a debit carries no value");
    }
  }

  /**
   * An adjustment outside any request with an amount of -50 (it adds 50) moves the baseline as a
   * restock does. The books: 100 + 50 - (30 + 20) = 100 left, 50 confirmed: nothing amiss.
   */
  @Test
  void anAmountOutsideRequests_shiftsTheBaseline_likeARestock() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 40);
    b.readValue(11, "A", "sku", 100, 10, 10);
    b.writeAmount(11, "A", "sku", 30, 20, 20);
    b.writeAmount(9, null, "sku", -50, 50, 50);
    b.request(11, "B", "sku", Result.SUCCESS, 60, 100);
    b.readValue(11, "B", "sku", 120, 70, 70);
    b.writeAmount(11, "B", "sku", 20, 80, 80);
    b.request(11, "C", "sku", Result.REJECTED, 200, 220);
    b.readValue(11, "C", "sku", 100, 210, 210);
    AnalysisResult r = analyze(b);
    var inv = r.detectors().invariant();
    assertEquals(0L, inv.mismatch());
    assertEquals(50, inv.confirmed());
    assertTrue(inv.worstKeys().isEmpty(), "no key breaks it");
    assertEquals(1, r.detectors().lostUpdates().writesOutsideRequests());
    assertEquals(0, r.detectors().lostUpdates().aheadWrites(), "B's read of 120 is the state the adjustment left");
    assertEquals("release", r.release().decision());
  }

  /**
   * Reads that show only the revision the store bumps; the balance is seen once, in a restock's
   * row (10 at revision 1). Debits of 3 and 2 carry their amounts: the balance stays known (10, 7,
   * 5) and the invariant is measured, where the effects used to be unknown (no value read, none
   * written).
   */
  @Test
  void readsShowOnlyTheRevision_amountsKeepTheBalanceKnown() throws Exception {
    TraceBuilder b = b();
    b.write(9, null, "acct", 1, 10, 0, 1);
    b.request(11, "A", "acct", Result.SUCCESS, 5, 50);
    StateModelTest.readVersion(b, 11, "A", "acct", 1, 10);
    b.writeAmount(11, "A", "acct", 3, 20, 20);
    b.request(11, "B", "acct", Result.SUCCESS, 60, 100);
    StateModelTest.readVersion(b, 11, "B", "acct", 2, 70);
    b.writeAmount(11, "B", "acct", 2, 80, 80);
    var inv = analyze(b).detectors().invariant();
    assertEquals(0L, inv.mismatch());
    assertEquals(5, inv.confirmed());
    assertEquals(1, inv.keysChecked());
  }

  /**
   * A write with both a value and an amount: the value-based effect (value read minus value
   * written) must agree with the amount. A's does (10 - 7 = 3); B's does not (7 - 5 = 2, amount
   * 3): the value is what the store holds, so B took 2, and the disagreement is counted. The
   * books: 3 + 2 confirmed, 10 - 5 left: nothing amiss.
   */
  @Test
  void valueAndAmount_disagree_theValueWins_andTheDisagreementIsCounted() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 50);
    b.readValue(11, "A", "sku", 10, 10, 10);
    b.writeValue(11, "A", "sku", 7, 20, 20).amount(3);
    b.request(11, "B", "sku", Result.SUCCESS, 60, 100);
    b.readValue(11, "B", "sku", 7, 70, 70);
    b.writeValue(11, "B", "sku", 5, 80, 80).amount(3);
    AnalysisResult r = analyze(b);
    var inv = r.detectors().invariant();
    assertEquals(0L, inv.mismatch());
    assertEquals(5, inv.confirmed());
    assertEquals(1, inv.amountDisagreements());
    assertEquals(0, r.detectors().lostUpdates().relativeWrites(), "a write with a value is judged by it, as ever");
  }

  /**
   * A blind write of a value computed from a stale read, with the amount the request took: both
   * say 1 unit (10 - 9), and the lost update is judged by the value as without an amount. The
   * books: 1 + 1 confirmed, 10 - 9 left: one unit lost.
   */
  @Test
  void valueAndAmount_agree_onAStaleBlindWrite_theLostUpdateIsJudgedAsEver() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "sku", Result.SUCCESS, 0, 100);
    b.request(12, "B", "sku", Result.SUCCESS, 0, 100);
    b.readValue(11, "A", "sku", 10, 10, 10);
    b.readValue(12, "B", "sku", 10, 12, 12);
    b.writeValue(11, "A", "sku", 9, 20, 20).amount(1);
    b.writeValue(12, "B", "sku", 9, 30, 30).amount(1);
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().lostUpdates().lostUpdates());
    assertEquals(1L, r.detectors().invariant().mismatch());
    assertEquals(0, r.detectors().invariant().amountDisagreements());
  }

  /**
   * Two fees charged outside any request (debits of 2 and 1, rows without a balance) before the
   * account's first read: the ledger starts at the first balance shown, 97, and the fees are its
   * history. A debits 30. The books: 30 confirmed, 97 - 67 left. It used to need the first state's
   * balance, which no row showed: not measured.
   */
  @Test
  void adjustmentsBeforeTheFirstRead_theLedgerStartsAtTheFirstStockShown() throws Exception {
    TraceBuilder b = b();
    b.writeAmount(9, null, "acct", 2, 0, 0);
    b.writeAmount(9, null, "acct", 1, 5, 5);
    b.request(11, "A", "acct", Result.SUCCESS, 10, 50);
    b.readValue(11, "A", "acct", 97, 20, 20);
    b.writeAmount(11, "A", "acct", 30, 30, 30);
    b.request(11, "B", "acct", Result.REJECTED, 60, 80);
    b.readValue(11, "B", "acct", 67, 70, 70);
    var inv = analyze(b).detectors().invariant();
    assertEquals(0L, inv.mismatch());
    assertEquals(1, inv.keysChecked());
    assertEquals(30, inv.confirmed());
  }

  /** A request's debit before any balance was shown: what it took is known, the balance it started from is not. */
  @Test
  void aRequestDebitBeforeAnyStockShown_notMeasured() throws Exception {
    TraceBuilder b = b();
    b.request(11, "A", "acct", Result.SUCCESS, 0, 50);
    b.add(io.racetrace.trace.EventKind.READ, Result.NONE, 11, "A", "acct", 10, 10); // the read showed nothing
    b.writeAmount(11, "A", "acct", 30, 20, 20);
    b.request(11, "B", "acct", Result.REJECTED, 60, 80);
    b.readValue(11, "B", "acct", 67, 70, 70);
    var inv = analyze(b).detectors().invariant();
    assertNull(inv.mismatch());
    assertEquals(1, inv.keysUnknown());
  }

  /**
   * A withdrawal resent with the same id and debited again by a relative update: a duplicate
   * confirmation. The books: w1 confirmed once for 5, the balance fell by 10: over-applied 5. The
   * timeline shows what each debit took.
   */
  @Test
  void aResentWithdrawal_debitedTwice_isADuplicate_andItsTimelineSaysWhatEachDebitTook() throws Exception {
    TraceBuilder b = b();
    b.request(11, "w1", "acct", Result.SUCCESS, 0, 50);
    b.readValue(11, "w1", "acct", 100, 10, 10);
    b.writeAmount(11, "w1", "acct", 5, 20, 20);
    b.request(12, "w1", "acct", Result.SUCCESS, 60, 100);
    b.readValue(12, "w1", "acct", 95, 70, 70);
    b.writeAmount(12, "w1", "acct", 5, 80, 80);
    AnalysisResult r = analyze(b);
    assertEquals(1, r.detectors().duplicates().duplicateConfirmations());
    assertEquals(5L, r.detectors().invariant().mismatch());
    assertEquals(5, r.detectors().invariant().overApplied());
    var steps = r.detectors().duplicates().examples().get(0).steps();
    assertEquals(List.of("write takes 5", "confirm", "write takes 5", "confirm"), // a duplicate shows its writes and answers
        steps.stream().map(x -> x.text()).toList());
    assertEquals(5L, steps.get(0).amount());
    assertNull(steps.get(0).value());
  }
}
