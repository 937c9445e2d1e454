package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BadInputTest extends ServiceTest {
  @ParameterizedTest
  @ValueSource(strings = {"/reservations/racy", "/reservations/safe"})
  void badInput_answered400or404_nothingChanges(String path) {
    http.restock("bad-1", 5);

    expect(400, http.post(path, null, "{\"sku\":\"bad-1\",\"units\":1}"));
    expect(400, http.post(path, "white space", "{\"sku\":\"bad-1\",\"units\":1}"));
    expect(400, http.post(path, "b-1", "{\"sku\":\"bad-1\",\"units\":0}"));
    expect(400, http.post(path, "b-2", "{\"sku\":\"bad-1\",\"units\":101}"));
    expect(400, http.post(path, "b-3", "{\"sku\":\"bad-1\",\"units\":1.5}"));
    expect(400, http.post(path, "b-4", "{\"sku\":\"bad-1\",\"units\":\"one\"}"));
    expect(400, http.post(path, "b-5", "{\"sku\":\"bad-1\"}"));
    expect(400, http.post(path, "b-6", "{\"units\":1}"));
    expect(400, http.post(path, "b-7", "{\"sku\":\"bad-1\",\"units\":1,\"extra\":true}"));
    expect(400, http.post(path, "b-8", "{\"sku\":\"bad-1\",\"units\":1"));
    expect(400, http.post(path, "b-9", ""));
    expect(404, http.post(path, "b-10", "{\"sku\":\"no-such-sku\",\"units\":1}"));

    JsonNode t = http.truth("bad-1");
    assertEquals(5, t.path("remaining").asLong(), t.toString());
    assertEquals(0, t.path("confirmedReservations").asLong() + t.path("soldOutReservations").asLong(), t.toString());
  }

  private static void expect(int status, TestHttp.Answer a) {
    assertEquals(status, a.status(), a.toString());
  }
}
