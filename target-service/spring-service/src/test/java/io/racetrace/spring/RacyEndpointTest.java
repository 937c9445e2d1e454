package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RacyEndpointTest extends ServiceTest {
  @Test
  void racy_concurrentRequestsOnOneSku_oversellAndTruthSaysByHowMuch() throws Exception {
    JsonNode stocked = http.restock("racy-hot", 40);
    ReservationLoad.Result run = ReservationLoad.run(http, "/reservations/racy", "racy-hot", 300, 8, 11);

    JsonNode t = TruthChecks.consistentWith(http, "racy-hot", 40, run);
    assertTruthIsTheRows("racy-hot", t);
    System.out.println("racy: " + run + " truth: " + t);
    assertTrue(t.path("mismatchUnits").asLong() > 0, "lost updates expected: " + t);
    assertTrue(t.path("oversoldUnits").asLong() > 0, "more units confirmed than stocked: " + t);
    assertEquals(0, run.withStatus("CONFLICT"), "the racy path never conflicts");
    // The bulk update goes around @Version: the row's version never moved.
    assertEquals(stocked.path("version").asLong(), t.path("version").asLong(), t.toString());
  }

  @Test
  void racy_oneClient_noMismatch() throws Exception {
    http.restock("racy-single", 10);
    ReservationLoad.Result run = ReservationLoad.run(http, "/reservations/racy", "racy-single", 20, 1, 3);

    JsonNode t = TruthChecks.consistentWith(http, "racy-single", 10, run);
    assertEquals(0, t.path("mismatchUnits").asLong(), t.toString());
    assertEquals(0, t.path("oversoldUnits").asLong(), t.toString());
  }

  @Test
  void racy_repeatedRequestId_refusedByTheUniqueConstraint_nothingChanges() {
    http.restock("racy-dup", 5);
    assertEquals(200, http.reserve("/reservations/racy", "racy-dup-1", "racy-dup", 2).status());

    TestHttp.Answer again = http.reserve("/reservations/racy", "racy-dup-1", "racy-dup", 2);

    assertEquals(409, again.status(), again.toString());
    assertEquals("duplicate_request_id", again.text("error"));
    JsonNode t = http.truth("racy-dup");
    assertEquals(3, t.path("remaining").asLong(), "the second update rolled back: " + t);
    assertEquals(1, t.path("confirmedReservations").asLong(), t.toString());
  }
}
