package io.racetrace.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's last step without running the service: the sample reports laid out as a demo --out
 * (MODE/PHASE/report/), the package written to OUT/release/ with its three files, and its decision
 * that of the retest report (the samples' retest is a canary, its package too).
 */
class DemoReleaseTest {
  static final Path EXPECTED = Path.of(System.getProperty("basedir", "."), "../../samples/expected")
      .toAbsolutePath().normalize();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  DemoCommand.PhaseResult phase(String mode, String name, String sample) throws Exception {
    Path report = Files.createDirectories(out.resolve(mode).resolve(name).resolve("report"));
    Files.copy(EXPECTED.resolve(sample).resolve("report.json"), report.resolve("report.json"));
    return new DemoCommand.PhaseResult(name, report, 0, 0, 0, 0, "", 0);
  }

  @Test
  void theDemosReleaseStep_writesThePackage_withTheRetestsDecision() throws Exception {
    List<DemoCommand.PhaseResult> unsafe = new ArrayList<>(List.of(phase(DemoOut.UNSAFE, "load", "baseline-unsafe"),
        phase(DemoOut.UNSAFE, DemoCommand.REPRODUCTION, "race-rendezvous-unsafe")));
    List<DemoCommand.PhaseResult> fixed = List.of(phase(DemoOut.CONDITIONAL, "load", "retest-conditional"),
        phase(DemoOut.CONDITIONAL, "duplicates", "retest-conditional"));
    Path release = out.resolve(DemoOut.RELEASE);
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int exit = RacetraceMain.run(new PrintWriter(o, true), new PrintWriter(e, true),
        DemoCommand.releaseArgs(unsafe, fixed, release).toArray(new String[0]));
    assertEquals(0, exit, o + e.toString());
    for (String f : List.of("release.md", "release.html", "release.json")) {
      assertTrue(Files.size(release.resolve(f)) > 0, f);
    }
    JsonNode pkg = JSON.readTree(release.resolve("release.json").toFile());
    JsonNode retest = JSON.readTree(out.resolve("conditional/load/report/report.json").toFile());
    assertEquals(retest.at("/release/decision").asText(), pkg.at("/decision/decision").asText());
    assertEquals("pass", pkg.at("/items/0/status").asText(), "the rendezvous race is the reproduction");
    assertEquals("../unsafe/race-rendezvous/report/report.html#interleavings", pkg.at("/items/0/link").asText());
    assertEquals(4, pkg.get("harness").size());
    assertEquals("duplicates", pkg.at("/harness/3/phase").asText());
    assertEquals("mitigated", pkg.at("/harness/3/build").asText());
  }
}
