package io.racetrace.samples.foreign;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.samples.foreign.ForeignRun.App;
import io.racetrace.samples.foreign.ForeignRun.Report;
import io.racetrace.samples.foreign.ledger.LedgerMain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger (package {@code ledger}): account records whose revision the store bumps, a void
 * blind write next to a boolean conditional one, withdrawals of 1..5 units, an enum receipt, and
 * clients that send one DONE withdrawal in 20 again. 8 threads x 2,000 withdrawals over 32
 * accounts, probed by {@code foreign/ledger.yaml}; racetrace's figures must equal the ledger's and
 * the store's own books exactly.
 */
class LedgerIT {
  static final Path PROBES = ForeignRun.PROBES.resolve("ledger.yaml");

  @TempDir Path tmp;

  record Run(App app, Report report) {}

  Run run(String variant) throws Exception {
    Path queue = tmp.resolve("queue-" + variant);
    App app = ForeignRun.run(PROBES, queue, LedgerMain.class, List.of(), "--variant", variant);
    Report report = ForeignRun.analyze(tmp.resolve("report-" + variant), queue);
    ForeignRun.log(getClass().getSimpleName() + " " + variant, app, report);
    return new Run(app, report);
  }

  @Test
  void racy_blindWritesAndResends_lostUpdatesInvariantAndDuplicates_equalTheLedgersBooks() throws Exception {
    Run r = run("racy");
    App t = r.app();
    Report a = r.report();
    assertTrue(t.truth("lostUpdates") > 0 && t.truth("duplicates") > 0, "the racy ledger must lose updates and debit resends twice: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(t.truth("lostUpdates"), a.lostUpdates(), "lost updates (writes over a stale revision)" + why),
        () -> assertEquals(t.truth("unitsErased"), a.detector("/detectors/lostUpdates/erasedUnits"), "units erased" + why),
        () -> assertEquals(t.truth("invariantMismatch"), a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals(t.truth("duplicates"), a.duplicates(), "duplicate confirmations" + why),
        () -> assertEquals("do_not_release", a.decision(), why),
        () -> assertEquals(1, a.exitCode(), why),
        () -> assertTrue(a.json().at("/rootCause/findings").toString().contains("\"cause\":\"race\""), "a race among the root causes" + why));
  }

  @Test
  void safe_conditionalWriteRetryAndReceipts_zeroAnomalies_andNoDoNotRelease() throws Exception {
    Run r = run("safe");
    App t = r.app();
    Report a = r.report();
    assertEquals(0, t.truth("lostUpdates") + t.truth("invariantMismatch") + t.truth("duplicates"), t.truth().toString());
    assertTrue(t.truth("casFailures") > 0 && t.truth("replays") > 0, "the safe ledger must meet conflicts and replays: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(0, a.lostUpdates(), "lost updates" + why),
        () -> assertEquals(0L, a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals(0, a.duplicates(), "duplicate confirmations" + why),
        () -> assertEquals(t.truth("replays"), a.detector("/detectors/duplicates/idempotentReplays"), "idempotent replays" + why),
        () -> assertEquals(t.truth("casFailures"), a.detector("/detectors/retries/writeConflicts"), "failed conditional writes" + why),
        () -> assertEquals(t.truth("conflictResponses"), a.detector("/summary/conflictResponses"), "CONFLICT receipts" + why),
        () -> assertEquals("none", a.rootCause(), why),
        () -> assertNotEquals("do_not_release", a.decision(), why),
        () -> assertEquals(0, a.exitCode(), why));
  }
}
