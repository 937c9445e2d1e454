package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's Spring phase as a user runs it ({@code ./racetrace demo --spring-only}: the service
 * started without the agent, attached per endpoint with the pack-based probe file): each capture's
 * invariant mismatch equals the database's own count ({@code truth.json} from {@code GET /truth}),
 * the racy endpoint's above 0, the safe one's 0 with its conflicts handled, and exit 0.
 */
class SpringDemoIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void bothEndpoints_captureEqualsTheDatabase() throws Exception {
    Path log = tmp.resolve("demo.log");
    ProcessBuilder pb = new ProcessBuilder(List.of(SpringServiceIT.LAUNCHER.toString(), "demo", "--spring-only",
        "--out", tmp.resolve("demo").toString())).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(ServiceProcess.ROOT.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "a hang guard: " + Files.readString(log));
    String out = Files.readString(log);
    System.out.println(out);
    assertEquals(0, p.exitValue(), out);
    Path spring = tmp.resolve("demo/spring");
    JsonNode racyTruth = JSON.readTree(spring.resolve("racy/truth.json").toFile());
    JsonNode racy = JSON.readTree(spring.resolve("racy/report/report.json").toFile());
    JsonNode safeTruth = JSON.readTree(spring.resolve("safe/truth.json").toFile());
    JsonNode safe = JSON.readTree(spring.resolve("safe/report/report.json").toFile());
    assertTrue(racyTruth.path("mismatchUnits").asLong() > 0, "the racy endpoint oversells under 8 clients: " + racyTruth);
    assertEquals(racyTruth.path("mismatchUnits").asLong(), racy.at("/detectors/invariant/mismatch").asLong(), "racy: mismatch");
    assertEquals("do_not_release", racy.at("/release/decision").asText());
    assertEquals(0, safeTruth.path("mismatchUnits").asLong(), safeTruth.toString());
    assertEquals(0, safe.at("/detectors/invariant/mismatch").asLong(), "safe: mismatch");
    assertEquals(0, safe.at("/detectors/lostUpdates/lostUpdates").asLong(), "safe: lost updates");
    assertEquals(safeTruth.path("confirmedReservations").asLong(), safe.at("/summary/confirmations").asLong(), "safe: confirmed");
    assertTrue(safe.at("/detectors/retries/writeConflicts").asLong() > 0, "safe: optimistic-lock failures as conflicts");
  }
}
