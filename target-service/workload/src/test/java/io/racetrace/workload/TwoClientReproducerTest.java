package io.racetrace.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.target.Mode;
import io.racetrace.target.ServiceConfig;
import io.racetrace.target.TargetService;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The validation plan's step 2 at I0 = 1, across two service instances that share one database (two workers
 * behind a load balancer; a named in-memory H2 shared inside this JVM stands in for PostgreSQL).
 * A 300 ms read latency holds each read open long enough that the two barrier-released requests
 * overlap; the unsafe assertion is "at least one of 4 runs oversold".
 */
class TwoClientReproducerTest {
  private static TwoClientReproducer.Report race(Mode mode) throws Exception {
    String db = "jdbc:h2:mem:race-" + mode.label() + "-" + System.nanoTime();
    try (TargetService a = TargetService.start(ServiceConfig.builder(mode).jdbc(db, "", "").instanceId("a").build());
        TargetService b = TargetService.start(ServiceConfig.builder(mode).jdbc(db, "", "").instanceId("b").build())) {
      List<URI> targets = List.of(a.baseUri(), b.baseUri());
      return new TwoClientReproducer(
          new TwoClientReproducer.Config(targets, "last-unit", 4, 5, Map.of("readLatencyMs", 300.0))).run();
    }
  }

  @Test
  void unsafe_lastUnitRace_oversells() throws Exception {
    TwoClientReproducer.Report r = race(Mode.UNSAFE);
    assertEquals(4, r.details().size());
    assertTrue(r.oversoldRuns() >= 1, r.toString());
    for (TwoClientReproducer.RaceRun run : r.details()) {
      assertTrue(run.remaining() >= 0, run.toString());
      if (run.oversold()) {
        assertEquals(2, run.confirmed());
        assertEquals(0, run.remaining());
        assertEquals(run.a().version(), run.b().version(), "both wrote the same version: a lost update");
      }
    }
  }

  @Test
  void conditional_lastUnitRace_neverOversells() throws Exception {
    TwoClientReproducer.Report r = race(Mode.CONDITIONAL);
    assertEquals(0, r.oversoldRuns(), r.toString());
    for (TwoClientReproducer.RaceRun run : r.details()) {
      assertEquals(1, run.confirmed(), run.toString());
      assertEquals(0, run.remaining(), run.toString());
    }
  }
}
