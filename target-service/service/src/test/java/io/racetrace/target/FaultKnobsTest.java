package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.target.fault.FaultSettings;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Storage timeouts, the bounded queue and a worker restart, through the admin endpoints. The
 * steps wait on server state (polling /admin/stats), never on elapsed time.
 */
class FaultKnobsTest {

  @Test
  void storageTimeout_answers503_changesNothing() throws Exception {
    try (TargetService svc = TargetService.start(
        ServiceConfig.builder(Mode.CONDITIONAL).workers(2).seedInventory(Map.of("t", 5L)).build())) {
      TestHttp http = new TestHttp(svc.baseUri());
      assertEquals(200, http.put("/admin/faults", "{\"timeoutRate\":1.0}").status());
      TestHttp.Resp r = http.reserve("to-1", "t");
      assertEquals(503, r.status(), r.toString());
      assertEquals("storage_timeout", r.body().path("error").asText());
      assertEquals(5, http.get("/inventory/t").body().path("quantity").asLong());
      assertEquals(0, http.get("/inventory/t").body().path("version").asLong());

      // The client retries with the same id once storage recovers: reserved exactly once.
      http.put("/admin/faults", "{\"timeoutRate\":0}");
      assertEquals("CONFIRMED", http.reserve("to-1", "t").outcome());
      assertEquals(4, http.get("/inventory/t").body().path("quantity").asLong());
      assertEquals(1, http.get("/admin/stats").body().path("storageTimeouts").asLong());
    }
  }

  @Test
  void fullQueue_answers503_restartFailsQueuedAndInFlight() throws Exception {
    ServiceConfig cfg = ServiceConfig.builder(Mode.UNSAFE)
        .workers(1)
        .queueCapacity(1)
        .faults(new FaultSettings(FaultSettings.MAX_LATENCY_MS, 0, 0, 0, 0)) // a worker stuck in read
        .seedInventory(Map.of("q", 10L))
        .build();
    try (TargetService svc = TargetService.start(cfg)) {
      TestHttp http = new TestHttp(svc.baseUri());
      CompletableFuture<TestHttp.Resp> inFlight = CompletableFuture.supplyAsync(() -> http.reserve("a", "q"));
      awaitPool(http, 1, 0);
      CompletableFuture<TestHttp.Resp> queued = CompletableFuture.supplyAsync(() -> http.reserve("b", "q"));
      awaitPool(http, 1, 1);

      TestHttp.Resp refused = http.reserve("c", "q");
      assertEquals(503, refused.status(), refused.toString());
      assertEquals("queue_full", refused.body().path("error").asText());

      JsonNode report = http.post("/admin/restart-workers", null).body();
      assertEquals(1, report.path("droppedQueued").asInt(), report.toString());
      assertEquals(2, report.path("newGeneration").asInt());
      assertTrue(report.path("drained").asBoolean(), report.toString());

      assertEquals(503, inFlight.get().status(), inFlight.get().toString());
      assertEquals("worker_restart", inFlight.get().body().path("error").asText());
      assertEquals(503, queued.get().status(), queued.get().toString());
      assertEquals("worker_restart", queued.get().body().path("error").asText());
      assertEquals(10, http.get("/inventory/q").body().path("quantity").asLong(), "nothing committed");

      // The new generation serves normally.
      http.put("/admin/faults", "{\"readLatencyMs\":0}");
      TestHttp.Resp after = http.reserve("d", "q");
      assertEquals("CONFIRMED", after.outcome(), after.toString());
      assertTrue(after.body().path("worker").asText().contains("-g2-"), after.toString());
      assertEquals(9, http.get("/inventory/q").body().path("quantity").asLong());
    }
  }

  private static void awaitPool(TestHttp http, int active, int queued) throws InterruptedException {
    for (int i = 0; i < 6_000; i++) {
      JsonNode s = http.get("/admin/stats").body();
      if (s.path("active").asInt() == active && s.path("queued").asInt() == queued) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("pool never reached active=" + active + " queued=" + queued);
  }
}
