package io.racetrace.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code racetrace demo} refuses a bad option at once, before any phase: exit 2, one line naming
 * the option, no stack trace, and nothing on stdout (the first phase would print its header).
 */
class DemoOptionsTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  Run demo(String... options) {
    List<String> args = new ArrayList<>(List.of("demo"));
    if (!List.of(options).contains("--out")) {
      args.addAll(List.of("--out", tmp.resolve("out").toString()));
    }
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RacetraceMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(new String[0]));
    return new Run(exit, out.toString(), err.toString());
  }

  void refused(String option, String... args) {
    Run r = demo(args);
    String what = String.join(" ", args);
    assertEquals(2, r.exit(), what + ": " + r.err());
    assertEquals("", r.out(), what + ": no phase ran");
    String[] lines = r.err().strip().split("\n");
    assertTrue(lines[0].startsWith("racetrace: ") && lines[0].contains(option), what + ": " + r.err());
    // Our own checks say it in one line; picocli's parse errors add its "Try ... --help" hint.
    assertTrue(lines.length == 1 || lines.length == 2 && lines[1].startsWith("Try 'racetrace demo --help'"),
        what + ": " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), what + ": no stack trace: " + r.err());
  }

  @Test
  void badValues_areRefusedBeforeAnyPhase() {
    refused("--rate", "--rate", "-5");
    refused("--rate", "--rate", "0");
    refused("--rate", "--rate", "NaN");
    refused("--rate", "--rate", "Infinity");
    refused("--rate", "--rate", "fast");
    refused("--duration-seconds", "--duration-seconds", "-1");
    refused("--race-runs", "--race-runs", "0");
    refused("--instances", "--instances", "0");
    refused("--instances", "--instances", "2");
    refused("--jdbc-url", "--jdbc-url", "postgresql://127.0.0.1/racetrace");
    refused("--jdbc-user", "--jdbc-user", "racetrace");
    refused("--mode", "--mode", "turbo");
  }

  @Test
  void unwritableOut_isRefusedBeforeAnyPhase() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    Run r = demo("--out", file.resolve("demo").toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("", r.out());
    assertEquals("racetrace: demo --out " + file.resolve("demo") + ": cannot write there (Not a directory)",
        r.err().strip());
  }

  /** The control: valid options pass the checks and fail only where this test tree has no built jars. */
  @Test
  void validOptions_passTheChecks() {
    Run r = demo("--rate", "50", "--duration-seconds", "2", "--race-runs", "3");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("agent jar"), "the next step looks for the agent jar: " + r.err());
    assertTrue(Files.isDirectory(tmp.resolve("out")), "--out was created by the check");
    assertFalse(r.err().contains("demo --"), "no option refused: " + r.err());
  }
}
