package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./racetrace} as a script or CI log runs it, output captured (not a terminal): no ESC
 * byte (0x1b) in help, analysis or error, and the documented exit codes.
 */
class LauncherIT {
  static final Path LAUNCHER = ServiceProcess.ROOT.resolve("racetrace");

  @TempDir Path tmp;

  record Out(int exit, String stdout, String stderr) {}

  Out run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ServiceProcess.ROOT.toFile())
        .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("NO_COLOR");
    pb.environment().remove("CLICOLOR_FORCE");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    try {
      // A first run builds racetrace (minutes on 2 cores); later ones take a second.
      assertTrue(p.waitFor(600, TimeUnit.SECONDS), "racetrace " + String.join(" ", args) + " did not finish");
    } finally {
      p.destroyForcibly();
    }
    return new Out(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  static void noEscapes(Out o, String what) {
    assertEquals(-1, o.stdout().indexOf(0x1b), what + " stdout:\n" + o.stdout());
    assertEquals(-1, o.stderr().indexOf(0x1b), what + " stderr:\n" + o.stderr());
  }

  @Test
  void capturedOutput_hasNoEscapes_andTheDocumentedExitCodes() throws Exception {
    Out help = run("analyze", "--help");
    assertEquals(0, help.exit(), help.stderr());
    assertTrue(help.stdout().contains("Exit codes:"), help.stdout());
    noEscapes(help, "analyze --help");

    Out analyze = run("analyze", "samples/queues/baseline-unsafe", "--out", tmp.resolve("report").toString());
    assertEquals(1, analyze.exit(), analyze.stderr());
    assertTrue(analyze.stdout().contains("decision: do_not_release"), analyze.stdout());
    noEscapes(analyze, "analyze");

    Out bad = run("demo", "--duration-seconds", "0");
    assertEquals(2, bad.exit(), bad.stderr());
    assertEquals("", bad.stdout());
    assertEquals(1, bad.stderr().strip().split("\n").length, bad.stderr());
    noEscapes(bad, "demo --duration-seconds 0");
  }
}
