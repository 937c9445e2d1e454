package io.racetrace.samples.foreign;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.samples.foreign.ForeignRun.App;
import io.racetrace.samples.foreign.ForeignRun.Report;
import io.racetrace.samples.foreign.stock.StockMain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order service on embedded H2 (package {@code stock}): JavaBean rows, the database bumps the
 * version itself ({@code version=version+1}), a transaction per order. Racy: the blind update
 * (row count). Safe: the update conditional on the version read, the conflict signalled by a row
 * count of 0 or by an optimistic-lock exception, retried up to 3 attempts. 8 threads x 500 orders
 * of 1..3 units over 8 items, probed by {@code foreign/stock-jdbc.yaml}; the database's rows are the
 * truth.
 */
class StockJdbcIT {
  static final Path PROBES = ForeignRun.PROBES.resolve("stock-jdbc.yaml");

  @TempDir Path tmp;

  record Run(App app, Report report) {}

  Run run(String variant) throws Exception {
    Path queue = tmp.resolve("queue-" + variant);
    App app = ForeignRun.run(PROBES, queue, StockMain.class, List.of(ForeignRun.classPathOf(org.h2.Driver.class)),
        "--variant", variant);
    Report report = ForeignRun.analyze(tmp.resolve("report-" + variant), queue);
    ForeignRun.log(getClass().getSimpleName() + " " + variant, app, report);
    return new Run(app, report);
  }

  @Test
  void racy_blindUpdate_lostUpdatesAndInvariant_equalTheDatabase() throws Exception {
    Run r = run("racy");
    App t = r.app();
    Report a = r.report();
    assertTrue(t.truth("lostUpdates") > 0, "the blind update must lose updates: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(t.truth("lostUpdates"), a.lostUpdates(), "lost updates (orders whose update replaced another version than read)" + why),
        () -> assertEquals(t.truth("unitsErased"), a.detector("/detectors/lostUpdates/erasedUnits"), "units erased" + why),
        () -> assertEquals(t.truth("invariantMismatch"), a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals(0, a.duplicates(), "duplicate confirmations" + why),
        () -> assertEquals("do_not_release", a.decision(), why),
        () -> assertEquals("race", a.rootCause(), why));
  }

  @Test
  void safe_rowCountConflict_zeroAnomalies_andNoDoNotRelease() throws Exception {
    safe("rowcount");
  }

  @Test
  void safe_optimisticLockException_zeroAnomalies_andNoDoNotRelease() throws Exception {
    safe("exception");
  }

  private void safe(String variant) throws Exception {
    Run r = run(variant);
    App t = r.app();
    Report a = r.report();
    assertEquals(0, t.truth("lostUpdates") + t.truth("invariantMismatch"), t.truth().toString());
    assertTrue(t.truth("conflicts") > 0, "the safe service must meet conflicts: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(0, a.lostUpdates(), "lost updates" + why),
        () -> assertEquals(0L, a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals(0, a.duplicates(), "duplicate confirmations" + why),
        () -> assertEquals(t.truth("conflicts"), a.detector("/detectors/retries/writeConflicts"), "conflicts handled by a retry" + why),
        () -> assertEquals(t.truth("conflictResponses"), a.detector("/summary/conflictResponses"), "RETRY_LATER answers" + why),
        () -> assertEquals(0, a.detector("/detectors/storageFaults/writeErrors"), "a conflict is no storage fault" + why),
        () -> assertEquals("none", a.rootCause(), why),
        () -> assertNotEquals("do_not_release", a.decision(), why),
        () -> assertEquals(0, a.exitCode(), why));
  }
}
