package io.racetrace.samples.foreign;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.samples.foreign.ForeignRun.App;
import io.racetrace.samples.foreign.ForeignRun.Report;
import io.racetrace.samples.foreign.desk.DeskMain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The booking desk (package {@code desk}): no version anywhere and no request id; an int read of
 * the seats left and a void write of the new count; parties of 1..4. One payment in 50 is slow
 * (15 ms), so racy writes land over counts read 64 and more writes ago. 8 threads x 1,500
 * bookings on 3 shows, probed by {@code foreign/booking-desk.yaml}.
 *
 * <p>Without a version the state is the count itself: a lost update is a write over a count that
 * was no longer the one its booking read (README, "A store with no version"). A count that changed
 * and changed back (ABA) is current again, and such a write erases nothing; the store's own write
 * counter tells them apart, and the truth line gives both.
 */
class BookingDeskIT {
  static final Path PROBES = ForeignRun.PROBES.resolve("booking-desk.yaml");

  @TempDir Path tmp;

  record Run(App app, Report report) {}

  Run run(String variant) throws Exception {
    Path queue = tmp.resolve("queue-" + variant);
    App app = ForeignRun.run(PROBES, queue, DeskMain.class, List.of(), "--variant", variant, "--shows", "3");
    Report report = ForeignRun.analyze(tmp.resolve("report-" + variant), queue);
    ForeignRun.log(getClass().getSimpleName() + " " + variant, app, report);
    return new Run(app, report);
  }

  @Test
  void racy_staleWritesOfAnyAge_lostUpdatesAndInvariant_equalTheStoresBooks() throws Exception {
    Run r = run("racy");
    App t = r.app();
    Report a = r.report();
    assertTrue(t.truth("staleWrites64") > 0, "stale writes over counts 64+ writes old must occur: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(t.truth("staleByValue"), a.lostUpdates(), "lost updates (writes over a count no longer current)" + why),
        () -> assertEquals(t.truth("unitsErased"), a.detector("/detectors/lostUpdates/erasedUnits"), "units (seats) erased" + why),
        () -> assertEquals(t.truth("invariantMismatch"), a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals("not applicable", a.status("duplicateConfirmations"), "no request id: duplicates not measurable" + why),
        () -> assertEquals(t.truth("requests"), a.detector("/detectors/duplicates/requestsWithoutId"), why),
        () -> assertEquals("do_not_release", a.decision(), why),
        () -> assertEquals("race", a.rootCause(), why));
  }

  @Test
  void safe_lockPerShow_zeroAnomalies_andNoDoNotRelease() throws Exception {
    Run r = run("safe");
    App t = r.app();
    Report a = r.report();
    assertEquals(0, t.truth("lostUpdates") + t.truth("invariantMismatch"), t.truth().toString());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(0, a.lostUpdates(), "lost updates" + why),
        () -> assertEquals(0L, a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals("not applicable", a.status("duplicateConfirmations"), why),
        () -> assertEquals("not applicable", a.status("maxQueueDelayMs"), "a synchronous desk has no queue" + why),
        () -> assertEquals("none", a.rootCause(), why),
        () -> assertEquals("release", a.decision(), why),
        () -> assertEquals(0, a.exitCode(), why));
  }
}
