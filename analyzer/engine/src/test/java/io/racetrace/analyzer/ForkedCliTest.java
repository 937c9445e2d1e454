package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.cli.AnalyzerMain;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process: {@code main} in a fresh JVM (with this JVM's flags and class path). Its stderr
 * must be exactly our one line - no library banner, no stack trace - and its exit code 2 for a
 * truncated queue file, 1 for a capture that fails the criteria.
 */
class ForkedCliTest {
  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
        cmd.add(a);
      }
    }
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // The launcher flags of the README: silence JDK 24+'s native-access and Unsafe warnings (JDK 17
    // accepts them too, the second thanks to IgnoreUnrecognizedVMOptions).
    cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+IgnoreUnrecognizedVMOptions",
        "--sun-misc-unsafe-memory-access=allow"));
    cmd.addAll(List.of("-Xmx256m", "-cp", cp, AnalyzerMain.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "analyzer did not finish within 120 s");
    } finally {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void truncatedQueue_oneLineExitTwo_failingCapture_exitOne() throws Exception {
    Path q = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("q"))).build();
    Result fail = run("analyze", q.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(1, fail.exit(), fail.err());
    assertEquals("", fail.err(), "nothing on stderr when all is well");
    assertTrue(fail.out().contains("decision: do_not_release"), fail.out());
    // As private as the capture: the reports hold its keys and ids.
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(tmp.resolve("o"))));
    for (String f : new String[] {"report.md", "report.html", "report.json", "rows.csv"}) {
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
          java.nio.file.Files.getPosixFilePermissions(tmp.resolve("o").resolve(f))), f);
    }

    Path f = BadInputTest.cq4(q);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(BadInputTest.dataEnd(f) - 40);
    }
    Result bad = run("analyze", q.toString(), "--out", tmp.resolve("o2").toString());
    assertEquals(2, bad.exit(), bad.err());
    assertEquals(1, bad.err().strip().split("\n").length, bad.err());
    assertTrue(bad.err().startsWith("racetrace analyze: " + f), bad.err());
  }
}
