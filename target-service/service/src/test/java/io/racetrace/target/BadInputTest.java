package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets its 4xx with a JSON {@code error} and {@code message}, and leaves
 * the store (quantities, versions, reservation records) and the fault knobs as they were. Run
 * against both modes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private final List<TargetService> services = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    for (Mode m : Mode.values()) {
      services.add(TargetService.start(
          ServiceConfig.builder(m).workers(2).seedInventory(Map.of("hot", 10L, "cold", 3L)).build()));
    }
  }

  @AfterAll
  void stop() {
    services.forEach(TargetService::close);
  }

  static Stream<Arguments> cases() {
    String pad = "x".repeat(17 * 1024);
    return Stream.of(
        Arguments.of("malformed json", "POST", "/reservations", "{\"requestId\":", 400),
        Arguments.of("empty body", "POST", "/reservations", "", 400),
        Arguments.of("json array", "POST", "/reservations", "[1,2]", 400),
        Arguments.of("json string", "POST", "/reservations", "\"hello\"", 400),
        Arguments.of("trailing garbage", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\"} xx", 400),
        Arguments.of("duplicate field", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"sku\":\"cold\"}", 400),
        Arguments.of("missing requestId", "POST", "/reservations", "{\"sku\":\"hot\"}", 400),
        Arguments.of("missing sku", "POST", "/reservations", "{\"requestId\":\"a\"}", 400),
        Arguments.of("null sku", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":null}", 400),
        Arguments.of("numeric requestId", "POST", "/reservations", "{\"requestId\":7,\"sku\":\"hot\"}", 400),
        Arguments.of("empty requestId", "POST", "/reservations", "{\"requestId\":\"\",\"sku\":\"hot\"}", 400),
        Arguments.of("requestId with spaces", "POST", "/reservations", "{\"requestId\":\"a b\",\"sku\":\"hot\"}", 400),
        Arguments.of("unknown sku", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"nope\"}", 404),
        Arguments.of("quantity zero", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"quantity\":0}", 400),
        Arguments.of("quantity negative", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"quantity\":-1}", 400),
        Arguments.of("quantity absurd", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"quantity\":1001}", 400),
        Arguments.of("quantity huge", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"quantity\":99999999999999999999}", 400),
        Arguments.of("quantity fraction", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"quantity\":1.5}", 400),
        Arguments.of("quantity string", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"quantity\":\"1\"}", 400),
        Arguments.of("oversized body", "POST", "/reservations", "{\"requestId\":\"a\",\"sku\":\"hot\",\"pad\":\"" + pad + "\"}", 413),
        Arguments.of("wrong method on reservations", "GET", "/reservations", null, 405),
        Arguments.of("wrong method on inventory", "DELETE", "/inventory/hot", null, 405),
        Arguments.of("wrong method on admin", "DELETE", "/admin/inventory", null, 405),
        Arguments.of("unknown path", "GET", "/nope", null, 404),
        Arguments.of("unknown path under reservations", "POST", "/reservations/extra", "{}", 404),
        Arguments.of("unknown sku on inventory", "GET", "/inventory/nope", null, 404),
        Arguments.of("bad sku on inventory", "GET", "/inventory/a%20b", null, 400),
        Arguments.of("admin negative seed", "PUT", "/admin/inventory", "{\"hot\":-1}", 400),
        Arguments.of("admin bad sku seed", "POST", "/admin/inventory", "{\"a b\":1}", 400),
        Arguments.of("admin empty seed", "PUT", "/admin/inventory", "{}", 400),
        Arguments.of("admin rate above one", "PUT", "/admin/faults", "{\"timeoutRate\":2}", 400),
        Arguments.of("admin unknown knob", "PUT", "/admin/faults", "{\"readLatencyMs\":5,\"bogus\":1}", 400),
        Arguments.of("admin latency text", "PUT", "/admin/faults", "{\"readLatencyMs\":\"5\"}", 400),
        Arguments.of("admin latency fraction", "PUT", "/admin/faults", "{\"readLatencyMs\":1.5}", 400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInput_answers4xx_changesNothing(String name, String method, String path, String body, int status) {
    for (TargetService svc : services) {
      TestHttp http = new TestHttp(svc.baseUri());
      JsonNode before = http.get("/admin/inventory").body();
      JsonNode faultsBefore = http.get("/admin/faults").body();

      TestHttp.Resp r = http.send(method, path, body);

      String where = svc.config().mode().label() + ": " + name + " -> " + r;
      assertEquals(status, r.status(), where);
      assertTrue(r.contentType().startsWith("application/json"), where);
      assertFalse(r.body().path("error").asText().isEmpty(), where);
      assertFalse(r.body().path("message").asText().isEmpty(), where);
      assertEquals(before, http.get("/admin/inventory").body(), "store changed by " + where);
      assertEquals(faultsBefore, http.get("/admin/faults").body(), "faults changed by " + where);
    }
  }

  @ParameterizedTest(name = "chunked oversized body ({0})")
  @MethodSource("modes")
  void chunkedOversizedBody_answers413(Mode mode) {
    TargetService svc = services.get(mode.ordinal());
    TestHttp http = new TestHttp(svc.baseUri());
    JsonNode before = http.get("/admin/inventory").body();
    byte[] big = ("{\"requestId\":\"a\",\"sku\":\"hot\",\"pad\":\"" + "y".repeat(40_000) + "\"}").getBytes();
    // ofInputStream has no known length, so the client sends it chunked (no Content-Length).
    TestHttp.Resp r = http.send(HttpRequest.newBuilder(svc.baseUri().resolve("/reservations"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
    assertEquals(413, r.status(), r.toString());
    assertEquals(before, http.get("/admin/inventory").body());
  }

  static Stream<Mode> modes() {
    return Stream.of(Mode.values());
  }
}
