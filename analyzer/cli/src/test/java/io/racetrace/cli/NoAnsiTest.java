package io.racetrace.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No ESC byte (0x1b) in what the CLI prints when its output is not a terminal: every command's
 * help, an analysis, an error, each in a JVM of its own with stdout and stderr captured. Under a
 * pseudo-terminal ({@code script}, where present) the help is coloured, which shows the check
 * could see escapes, and {@code --no-color} or {@code NO_COLOR} take them out there too.
 */
class NoAnsiTest {
  static final char ESC = 0x1b;
  static final Path SAMPLE = Path.of(System.getProperty("basedir", "."), "../../samples/queues/baseline-unsafe")
      .toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Out(int exit, String text) {}

  @Test
  void capturedOutput_hasNoEscapes() throws Exception {
    List<List<String>> runs = new ArrayList<>();
    for (String cmd : List.of("", "attach", "detach", "probes", "probes check", "dump", "demo", "analyze", "compare")) {
      List<String> args = new ArrayList<>(cmd.isEmpty() ? List.of() : List.of(cmd.split(" ")));
      args.add("--help");
      runs.add(args);
    }
    runs.add(List.of("analyze", SAMPLE.toString(), "--out", tmp.resolve("report").toString()));
    runs.add(List.of("analyze", "--top-keys", "many", SAMPLE.toString(), "--out", tmp.resolve("x").toString()));
    runs.add(List.of("demo", "--rate", "-1"));
    for (List<String> args : runs) {
      Out o = run(args, Map.of(), false);
      assertFalse(o.text().isBlank(), args + " printed nothing (exit " + o.exit() + ")");
      assertEquals(-1, o.text().indexOf(ESC), args + " printed an escape:\n" + o.text());
    }
  }

  @Test
  void onATerminal_helpIsColoured_unlessNoColorOrNO_COLOR() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "no script(1) for a pseudo-terminal");
    assertNotEquals(-1, run(List.of("analyze", "--help"), Map.of(), true).text().indexOf(ESC),
        "the control: a terminal gets colours");
    assertEquals(-1, run(List.of("analyze", "--help", "--no-color"), Map.of(), true).text().indexOf(ESC));
    assertEquals(-1, run(List.of("--no-color", "probes", "check", "--help"), Map.of(), true).text().indexOf(ESC));
    assertEquals(-1, run(List.of("analyze", "--help"), Map.of("NO_COLOR", "1"), true).text().indexOf(ESC));
  }

  /** {@code racetrace ARGS} in a fresh JVM; stdout and stderr together, through a pty if asked. */
  private Out run(List<String> args, Map<String, String> env, boolean terminal) throws Exception {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
        java.add(a);
      }
    }
    java.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        RacetraceMain.class.getName()));
    java.addAll(args);
    List<String> cmd = terminal ? List.of("/usr/bin/script", "-qec", shell(java), "/dev/null") : java;
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("out.txt").toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("NO_COLOR");
    pb.environment().remove("CLICOLOR_FORCE");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    try {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), args + " did not finish");
    } finally {
      p.destroyForcibly();
    }
    return new Out(p.exitValue(), Files.readString(tmp.resolve("out.txt")));
  }

  private static String shell(List<String> words) {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      sb.append(sb.length() == 0 ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
    }
    return sb.toString();
  }
}
