package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.target.fault.FaultSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same concurrent hot-sku workload against both modes over real HTTP and embedded H2. A 5 ms
 * read latency (fault knob) keeps a window open between read and write, so with 16 workers and 32
 * clients nearly every request overlaps others; the assertions do not depend on timing otherwise.
 */
class RaceUnderLoadTest {
  private static final int REQUESTS = 600;
  private static final long INITIAL = 200;

  private static HotSkuLoad.Result runAgainst(Mode mode) throws Exception {
    ServiceConfig cfg =
        ServiceConfig.builder(mode)
            .workers(16)
            .queueCapacity(1024)
            .faults(new FaultSettings(5, 0, 0, 0, 0))
            .build();
    try (TargetService svc = TargetService.start(cfg)) {
      return HotSkuLoad.run(new TestHttp(svc.baseUri()), "hot", INITIAL, REQUESTS, 32, 10);
    }
  }

  @Test
  void unsafeMode_concurrentHotSku_oversells() throws Exception {
    HotSkuLoad.Result r = runAgainst(Mode.UNSAFE);
    assertTrue(r.mismatch() > 0, "expected lost updates, got " + r);
    assertTrue(r.remaining() >= 0, "blind writes of read-minus-one never go negative: " + r);
    assertEquals(0, r.recordedConfirmations(), "unsafe mode keeps no reservation records");
  }

  @Test
  void conditionalMode_sameWorkload_invariantHolds() throws Exception {
    HotSkuLoad.Result r = runAgainst(Mode.CONDITIONAL);
    assertEquals(0, r.mismatch(), "confirmed - (I0 - remaining) must be 0: " + r);
    assertEquals(0, r.duplicateConfirmations(), "no request id may reserve twice: " + r);
    assertTrue(r.confirmedIds() > 0, "the workload must confirm something: " + r);
    assertEquals(r.consumed(), r.recordedConfirmations(), "store records match the units taken: " + r);
    int answered = r.statusCounts().values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(REQUESTS + REQUESTS / 10, answered);
    assertEquals(Map.of(), filter5xx(r.statusCounts()), "no faults were injected: " + r);
  }

  private static Map<String, Integer> filter5xx(Map<String, Integer> status) {
    return Map.copyOf(
        status.entrySet().stream()
            .filter(e -> e.getKey().startsWith("5"))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }
}
