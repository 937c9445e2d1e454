package io.racetrace.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.target.Mode;
import io.racetrace.target.ServiceConfig;
import io.racetrace.target.TargetService;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver against the real service (in-process, embedded H2, real HTTP): the same seeded
 * workload (80% on a sku with I0 = 150, 5 ms read latency) in both modes, through the CLI.
 */
class WorkloadRunnerTest {
  private static final String PROFILE = Path.of("src/test/resources/race-small.json").toString();

  @TempDir Path dir;

  private JsonNode runCli(Mode mode, int expectedExit) throws Exception {
    try (TargetService svc = TargetService.start(ServiceConfig.builder(mode).queueCapacity(1024).build())) {
      Path out = dir.resolve(mode.label() + ".json");
      int code = WorkloadMain.run("run", "--target", svc.baseUri().toString(), "--profile", PROFILE,
          "--out", out.toString(), "--fail-on-mismatch");
      assertEquals(expectedExit, code, "exit code of the run in " + mode);
      assertTrue(Files.isRegularFile(out));
      return Profiles.JSON.readTree(out.toFile());
    }
  }

  @Test
  void sameWorkload_unsafeOversells_conditionalHoldsTheInvariant() throws Exception {
    JsonNode unsafe = runCli(Mode.UNSAFE, 3);
    JsonNode conditional = runCli(Mode.CONDITIONAL, 0);

    // Same workload, provably: same fingerprint, same schedule.
    assertEquals(unsafe.path("workloadFingerprint"), conditional.path("workloadFingerprint"));
    assertEquals(unsafe.path("scheduleDigest"), conditional.path("scheduleDigest"));
    assertEquals(99, unsafe.path("workloadSeed").asLong());
    assertEquals("unsafe", unsafe.path("serviceMode").asText());
    assertEquals("conditional", conditional.path("serviceMode").asText());

    JsonNode hotUnsafe = sku(unsafe, "hot");
    assertTrue(hotUnsafe.path("mismatch").asLong() > 0, "unsafe must oversell the hot sku: " + hotUnsafe);
    assertTrue(unsafe.path("totals").path("mismatch").asLong() > 0);
    assertFalse(unsafe.path("invariantHolds").asBoolean());

    for (JsonNode s : conditional.path("skus")) {
      assertEquals(0, s.path("mismatch").asLong(), "conditional sku " + s);
      assertEquals(0, s.path("duplicateConfirmations").asLong(), "conditional sku " + s);
      assertEquals(s.path("initial").asLong() - s.path("remaining").asLong(), s.path("consumed").asLong());
    }
    assertTrue(conditional.path("invariantHolds").asBoolean());
    assertTrue(conditional.path("totals").path("confirmed").asLong() > 0);
    assertEquals(150, sku(conditional, "hot").path("initial").asLong());
    // The profile duplicates ~5% of ids; their second copies are replays, never second reservations.
    assertTrue(conditional.path("requests").path("duplicateSends").asLong() > 0);

    // Counting and latency fields are filled in from what happened.
    JsonNode req = conditional.path("requests");
    assertEquals(req.path("planned").asLong() + req.path("duplicateSends").asLong(), req.path("sent").asLong());
    assertEquals(req.path("sent").asLong(), req.path("completed").asLong());
    assertEquals(req.path("completed").asLong(), conditional.path("latencyMillis").path("count").asLong());
    assertTrue(conditional.path("latencyMillis").path("p99").asDouble() >= conditional.path("latencyMillis").path("p50").asDouble());
    assertEquals(1, conditional.path("server").size());
  }

  private static JsonNode sku(JsonNode truth, String name) {
    for (JsonNode s : truth.path("skus")) {
      if (s.path("sku").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no sku " + name + " in " + truth.path("skus"));
  }

  @Test
  void cli_usageErrors_exit2() {
    assertEquals(2, WorkloadMain.run("run"));
    assertEquals(2, WorkloadMain.run("bogus"));
    assertEquals(0, WorkloadMain.run("plan", "--profile", PROFILE, "--show", "1"));
    assertEquals(1, WorkloadMain.run("plan", "--profile", "no-such-profile"));
  }
}
