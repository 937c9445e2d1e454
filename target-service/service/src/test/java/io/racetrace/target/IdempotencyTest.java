package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.target.fault.FaultSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request ids as idempotency keys (conditional mode), and duplicate delivery in both modes. */
class IdempotencyTest {
  private static final int IDS = 40;
  private static final int COPIES = 4;

  @Test
  void conditional_concurrentDuplicates_reserveOncePerId() throws Exception {
    ServiceConfig cfg =
        ServiceConfig.builder(Mode.CONDITIONAL)
            .workers(8)
            .maxRetries(10)
            .faults(new FaultSettings(2, 0, 0, 0, 0))
            .seedInventory(Map.of("dup", 1_000L))
            .build();
    try (TargetService svc = TargetService.start(cfg)) {
      TestHttp http = new TestHttp(svc.baseUri());
      ExecutorService pool = Executors.newFixedThreadPool(COPIES);
      Map<String, List<TestHttp.Resp>> byId = new HashMap<>();
      try {
        for (int i = 0; i < IDS; i++) {
          String id = "idem-" + i;
          CyclicBarrier start = new CyclicBarrier(COPIES);
          List<Future<TestHttp.Resp>> copies = new ArrayList<>();
          for (int k = 0; k < COPIES; k++) {
            copies.add(pool.submit(() -> {
              start.await(30, TimeUnit.SECONDS); // all copies leave together
              return http.reserve(id, "dup");
            }));
          }
          List<TestHttp.Resp> answers = new ArrayList<>();
          for (Future<TestHttp.Resp> f : copies) {
            answers.add(f.get());
          }
          byId.put(id, answers);
        }
      } finally {
        pool.shutdownNow();
      }

      int confirmedIds = 0;
      for (Map.Entry<String, List<TestHttp.Resp>> e : byId.entrySet()) {
        int fresh = 0;
        Set<Long> versions = new HashSet<>();
        for (TestHttp.Resp r : e.getValue()) {
          if ("CONFIRMED".equals(r.outcome())) {
            versions.add(r.body().path("version").asLong());
            if (!r.body().path("replayed").asBoolean()) {
              fresh++;
            }
          }
        }
        assertTrue(fresh <= 1, e.getKey() + " reserved " + fresh + " times: " + e.getValue());
        assertTrue(versions.size() <= 1, e.getKey() + " confirmed with different versions " + versions);
        if (!versions.isEmpty()) {
          confirmedIds++;
          assertEquals(1, fresh, e.getKey() + ": replays need an original");
        }
      }
      var row = http.get("/admin/inventory").body().path("skus").get(0);
      long consumed = 1_000 - row.path("quantity").asLong();
      assertTrue(confirmedIds > 0);
      assertEquals(confirmedIds, consumed, "one unit per confirmed id");
      assertEquals(consumed, row.path("recordedConfirmations").asLong());

      // A later repeat returns the first outcome without touching the inventory.
      String someId = byId.keySet().iterator().next();
      TestHttp.Resp again = http.reserve(someId, "dup");
      assertTrue(again.body().path("replayed").asBoolean(), again.toString());
      assertEquals(row.path("quantity").asLong(), http.get("/inventory/dup").body().path("quantity").asLong());

      // Same id for another sku: refused, nothing changed.
      http.post("/admin/inventory", "{\"other\":5}");
      TestHttp.Resp reuse = http.reserve(someId, "other");
      assertEquals(422, reuse.status(), reuse.toString());
      assertEquals(5, http.get("/inventory/other").body().path("quantity").asLong());
    }
  }

  /**
   * A CONFLICT answer is final for its id: the at-least-once redelivery of the same request, which
   * comes after the client was told CONFLICT, must not reserve a unit nobody will hear about.
   */
  @Test
  void conditional_conflictIsFinal_redeliveryDoesNotReserve() throws Exception {
    ServiceConfig cfg = ServiceConfig.builder(Mode.CONDITIONAL)
        .workers(2)
        .maxRetries(0)
        .faults(new FaultSettings(0, 400, 0, 0, 1.0)) // pause before each CAS; redeliver everything
        .seedInventory(Map.of("c", 100L))
        .build();
    try (TargetService svc = TargetService.start(cfg)) {
      TestHttp http = new TestHttp(svc.baseUri());
      String conflicted = null;
      int confirmed = 0;
      int deliveries = 0;
      for (int round = 0; round < 5 && conflicted == null; round++) {
        http.put("/admin/faults", "{\"writeLatencyMs\":400}");
        String slow = "slow-" + round;
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> http.reserve(slow, "c"));
        http.awaitStat("active", 1); // the slow request has read version v and waits before its CAS
        http.put("/admin/faults", "{\"writeLatencyMs\":0}");
        TestHttp.Resp fast = http.reserve("fast-" + round, "c"); // moves the version on meanwhile
        assertEquals("CONFIRMED", fast.outcome(), fast.toString());
        confirmed++;
        TestHttp.Resp slowAnswer = first.get();
        deliveries += 2;
        if ("CONFLICT".equals(slowAnswer.outcome())) {
          conflicted = slow;
        } else {
          confirmed++; // it read after the fast one committed: no conflict this round, try again
        }
      }
      assertTrue(conflicted != null, "no round produced a CONFLICT");
      http.awaitStat("duplicateDeliveries", deliveries);
      JsonNode stats = http.awaitStat("replayed", deliveries); // every redelivery was a replay
      assertEquals(deliveries, stats.path("replayed").asLong(), stats.toString());
      assertEquals(100 - confirmed, http.get("/inventory/c").body().path("quantity").asLong(),
          "only confirmed requests took units");
      TestHttp.Resp again = http.reserve(conflicted, "c");
      assertEquals("CONFLICT", again.outcome(), again.toString());
      assertTrue(again.body().path("replayed").asBoolean());
    }
  }

  @Test
  void duplicateDelivery_unsafe_appliesTwice_conditional_once() throws Exception {
    assertEquals(-20, duplicateDeliveryMismatch(Mode.UNSAFE), "unsafe: every redelivery took another unit");
    assertEquals(0, duplicateDeliveryMismatch(Mode.CONDITIONAL), "conditional: redeliveries are replays");
  }

  /** One worker (so no lost updates), every request delivered twice; returns the invariant mismatch. */
  private static long duplicateDeliveryMismatch(Mode mode) throws Exception {
    ServiceConfig cfg =
        ServiceConfig.builder(mode)
            .workers(1)
            .faults(new FaultSettings(0, 0, 0, 0, 1.0))
            .seedInventory(Map.of("redeliver", 100L))
            .build();
    try (TargetService svc = TargetService.start(cfg)) {
      TestHttp http = new TestHttp(svc.baseUri());
      int confirmed = 0;
      for (int i = 0; i < 20; i++) {
        if ("CONFIRMED".equals(http.reserve("dd-" + i, "redeliver").outcome())) {
          confirmed++;
        }
      }
      var stats = http.awaitStat("duplicateDeliveries", 20);
      // The last redelivery was queued; wait until the single worker has run it too.
      stats = http.awaitStat("confirmed", 40);
      assertEquals(0, stats.path("duplicateDeliveriesDropped").asLong());
      assertEquals(20, confirmed);
      long remaining = http.get("/inventory/redeliver").body().path("quantity").asLong();
      return confirmed - (100 - remaining);
    }
  }
}
