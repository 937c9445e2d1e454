package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SafeEndpointTest extends ServiceTest {
  @Test
  void safe_concurrentRequestsOnOneSku_neverOversell_retryOnOptimisticLockFailures() throws Exception {
    JsonNode stocked = http.restock("safe-hot", 40);
    long lockFailuresBefore = http.stat("optimisticLockFailures");
    long retriesBefore = http.stat("retries");

    ReservationLoad.Result run = ReservationLoad.run(http, "/reservations/safe", "safe-hot", 300, 8, 11);

    JsonNode t = TruthChecks.consistentWith(http, "safe-hot", 40, run);
    assertTruthIsTheRows("safe-hot", t);
    long lockFailures = http.stat("optimisticLockFailures") - lockFailuresBefore;
    long retries = http.stat("retries") - retriesBefore;
    System.out.println("safe: " + run + " optimisticLockFailures=" + lockFailures + " retries=" + retries
        + " truth: " + t);
    assertEquals(0, t.path("mismatchUnits").asLong(), t.toString());
    assertEquals(0, t.path("oversoldUnits").asLong(), t.toString());
    assertTrue(run.confirmed() > 0, run.toString());
    // Every confirmation replaced the version it read, exactly once.
    assertEquals(stocked.path("version").asLong() + run.confirmed(), t.path("version").asLong(), t.toString());
    assertTrue(lockFailures > 0, "8 clients on one row conflict: " + lockFailures);
    assertTrue(retries > 0, "retries: " + retries);
    assertTrue(run.count(s -> s.status().equals("CONFIRMED") && s.answer().number("attempts") > 1) > 0,
        "some request confirmed after a retry: " + run);
    assertTrue(run.sent().stream().allMatch(s -> s.answer().number("attempts") <= 5), "bounded retries");
  }

  @Test
  void safe_replayedRequestId_confirmedOnce() {
    http.restock("safe-replay", 10);

    TestHttp.Answer first = http.reserve("/reservations/safe", "replay-1", "safe-replay", 3);
    TestHttp.Answer second = http.reserve("/reservations/safe", "replay-1", "safe-replay", 3);

    assertEquals(200, first.status(), first.toString());
    assertFalse(first.body().path("replayed").asBoolean());
    assertEquals(200, second.status(), second.toString());
    assertEquals("CONFIRMED", second.text("status"));
    assertTrue(second.body().path("replayed").asBoolean(), second.toString());
    JsonNode t = http.truth("safe-replay");
    assertEquals(1, t.path("confirmedReservations").asLong(), t.toString());
    assertEquals(7, t.path("remaining").asLong(), t.toString());
  }

  @Test
  void safe_concurrentDuplicates_eachIdDecidedOnce() throws Exception {
    http.restock("safe-dups", 100);
    Random random = new Random(5);
    List<int[]> plan = new ArrayList<>();
    int[] unitsOf = new int[12];
    for (int id = 0; id < unitsOf.length; id++) {
      unitsOf[id] = 1 + random.nextInt(3);
      for (int copy = 0; copy < 5; copy++) {
        plan.add(new int[] {id, unitsOf[id]});
      }
    }
    Collections.shuffle(plan, random);

    ReservationLoad.Result run = ReservationLoad.send(http, "/reservations/safe", "safe-dups", plan, i -> "dup-" + i, 8);

    Map<String, List<ReservationLoad.Sent>> byId =
        run.sent().stream().collect(Collectors.groupingBy(ReservationLoad.Sent::requestId));
    long confirmedIds = 0;
    long confirmedUnits = 0;
    for (List<ReservationLoad.Sent> copies : byId.values()) {
      String decided = copies.get(0).status();
      assertTrue(copies.stream().allMatch(s -> s.status().equals(decided)), "one outcome per id: " + copies);
      assertEquals(1, copies.stream().filter(s -> !s.answer().body().path("replayed").asBoolean()).count(),
          "one copy decided, the others replayed it: " + copies);
      if (decided.equals("CONFIRMED")) {
        confirmedIds++;
        confirmedUnits += copies.get(0).units();
      }
    }
    JsonNode t = http.truth("safe-dups");
    assertEquals(confirmedIds, t.path("confirmedReservations").asLong(), t.toString());
    assertEquals(confirmedUnits, t.path("consumedUnits").asLong(), t.toString());
    assertEquals(0, t.path("mismatchUnits").asLong(), t.toString());
    assertTrue(confirmedIds > 0, t.toString());
  }

  @Test
  void safe_requestIdReusedForOtherUnits_422_nothingChanges() {
    http.restock("safe-reuse", 10);
    assertEquals(200, http.reserve("/reservations/safe", "reuse-1", "safe-reuse", 1).status());

    TestHttp.Answer reused = http.reserve("/reservations/safe", "reuse-1", "safe-reuse", 2);

    assertEquals(422, reused.status(), reused.toString());
    assertEquals("request_id_reused", reused.text("error"));
    assertEquals(9, http.truth("safe-reuse").path("remaining").asLong());
  }

  @Test
  void safe_lastUnits_oneConfirmedOneSoldOut_soldOutIsFinalForItsId() {
    http.restock("safe-last", 2);
    assertEquals(200, http.reserve("/reservations/safe", "last-1", "safe-last", 2).status());

    TestHttp.Answer late = http.reserve("/reservations/safe", "last-2", "safe-last", 1);
    http.restock("safe-last", 2); // also forgets the reservations: last-2 is decided anew
    TestHttp.Answer retried = http.reserve("/reservations/safe", "last-2", "safe-last", 1);

    assertEquals(409, late.status(), late.toString());
    assertEquals("SOLD_OUT", late.text("status"));
    assertEquals(0, late.number("remaining"));
    assertEquals(200, retried.status(), retried.toString());
  }
}
