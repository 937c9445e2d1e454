package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** What every run must satisfy, racy or safe: /truth agrees with the answers and with itself. */
final class TruthChecks {
  private TruthChecks() {}

  /** Checks /truth for {@code sku} against the answers of {@code run}; returns the truth row. */
  static JsonNode consistentWith(TestHttp http, String sku, long initial, ReservationLoad.Result run) {
    for (ReservationLoad.Sent s : run.sent()) {
      int st = s.answer().status();
      assertTrue(st == 200 && s.status().equals("CONFIRMED") || st == 409 && !s.status().equals("CONFIRMED"),
          "a reservation answer, no error: " + s);
    }
    JsonNode t = http.truth(sku);
    String why = t + " / " + run;
    assertEquals(initial, t.path("initialQuantity").asLong(), why);
    assertEquals(run.confirmed(), t.path("confirmedReservations").asLong(), why);
    assertEquals(run.confirmedUnits(), t.path("confirmedUnits").asLong(), why);
    assertEquals(run.withStatus("SOLD_OUT"), t.path("soldOutReservations").asLong(), why);
    assertEquals(run.withStatus("CONFLICT"), t.path("conflictReservations").asLong(), why);
    long remaining = http.get("/inventory/" + sku).number("quantity");
    assertEquals(remaining, t.path("remaining").asLong(), why);
    assertTrue(remaining >= 0, why);
    long consumed = initial - remaining;
    assertEquals(consumed, t.path("consumedUnits").asLong(), why);
    assertEquals(run.confirmedUnits() - consumed, t.path("mismatchUnits").asLong(), why);
    assertEquals(Math.max(0, run.confirmedUnits() - initial), t.path("oversoldUnits").asLong(), why);
    return t;
  }
}
