package io.racetrace.samples.foreign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a user runs racetrace on a service of their own, for the foreign-service tests: the
 * service's main in a JVM of its own with {@code -javaagent} and a probe file, its class path the
 * test classes (plus its driver's jar), then {@code ./racetrace analyze} on the queue, exactly as
 * the README says, and {@code report.json} read back. Nothing of the analyzer's Java API is used,
 * so these tests hold the analyzer to its documented output while its insides change.
 */
final class ForeignRun {
  static final Path ROOT = Path.of(System.getProperty("racetrace.root", "..")).toAbsolutePath().normalize();
  static final Path AGENT = ROOT.resolve("agent/target/racetrace-agent.jar");
  static final Path RACETRACE = ROOT.resolve("racetrace");
  /** The criteria a user on a shared 2-core box would pick: data integrity strict, latency wide. */
  static final Path CRITERIA = ROOT.resolve("samples/criteria/correctness-only.yaml");
  static final Path PROBES = ROOT.resolve("samples/src/test/resources/foreign");
  static final ObjectMapper JSON = new ObjectMapper();

  private ForeignRun() {}

  /** The forked service's ground truth, its output and how long it ran. */
  record App(JsonNode truth, String stdout, String stderr, double seconds) {
    long truth(String field) {
      JsonNode n = truth.get(field);
      if (n == null) {
        throw new AssertionError("no '" + field + "' in the service's truth: " + truth);
      }
      return n.asLong();
    }
  }

  /** The analyzer's verdict on a capture: its report.json and exit code. */
  record Report(JsonNode json, int exitCode, String output, double seconds) {
    long lostUpdates() { return json.at("/detectors/lostUpdates/lostUpdates").asLong(); }
    /** null when the analyzer could not measure it. */
    Long invariantMismatch() {
      JsonNode n = json.at("/detectors/invariant/mismatch");
      return n.isNumber() ? n.asLong() : null;
    }
    long duplicates() { return json.at("/detectors/duplicates/duplicateConfirmations").asLong(); }
    String decision() { return json.at("/release/decision").asText(); }
    String rootCause() { return json.at("/rootCause/primary").asText(); }
    String status(String criterion) {
      for (JsonNode row : json.at("/release/table")) {
        if (row.path("id").asText().equals(criterion)) {
          return row.path("status").asText();
        }
      }
      return "absent";
    }
    long detector(String pointer) { return json.at(pointer).asLong(); }

    /** The figures a failure message needs, in one line. */
    String summary() {
      JsonNode lu = json.at("/detectors/lostUpdates");
      JsonNode inv = json.at("/detectors/invariant");
      JsonNode rel = json.at("/release");
      List<String> blockers = new ArrayList<>();
      rel.path("blockers").forEach(b -> blockers.add(b.asText()));
      return "decision " + decision() + " (exit " + exitCode + "), root cause " + rootCause()
          + "; lostUpdates " + lu.path("lostUpdates") + " (stale " + lu.path("staleWrites") + ", cas " + lu.path("casViolations")
          + ", ahead " + lu.path("aheadWrites") + ", unjudged " + lu.path("unjudgedWrites") + ", outside " + lu.path("writesOutsideRequests")
          + ", erasedUnits " + lu.path("erasedUnits") + ")"
          + "; invariant " + inv.path("mismatch") + " (lost " + inv.path("lostUpdates") + ", overApplied " + inv.path("overApplied")
          + ", confirmed " + inv.path("confirmed") + ", keys " + inv.path("keysChecked") + "/" + inv.path("keysUnknown") + " unknown)"
          + "; duplicates " + json.at("/detectors/duplicates/duplicateConfirmations")
          + " (replays " + json.at("/detectors/duplicates/idempotentReplays") + ")"
          + "; completeness " + json.at("/completeness/verdict") + "; blockers " + blockers;
    }
  }

  /** One line per run on the test's output: the figures of both sides, and how long each took. */
  static void log(String what, App app, Report report) {
    System.out.printf("[foreign] %s: service %.1f s, analyze %.1f s%n  truth:     %s%n  racetrace: %s%n",
        what, app.seconds(), report.seconds(), app.truth(), report.summary());
  }

  /** Where a class's jar or classes directory is, for the forked app's class path. */
  static Path classPathOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("no code source for " + c, e);
    }
  }

  /**
   * Runs {@code main} with the agent until it exits (60 s at most) and returns the {@code truth}
   * line it printed. Fails on any agent error the JVM printed: a weaving error must not pass.
   */
  static App run(Path probes, Path queue, Class<?> main, List<Path> extraClassPath, String... args) throws Exception {
    List<String> cp = new ArrayList<>(List.of(classPathOf(ForeignRun.class).toString()));
    extraClassPath.forEach(p -> cp.add(p.toString()));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    if (probes != null) {
      cmd.add("-javaagent:" + AGENT + "=probes=" + probes + ",queue=" + queue);
    }
    cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, cp), main.getName()));
    cmd.addAll(List.of(args));
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    Process p = pb.start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(main.getSimpleName() + " did not finish in 60 s; stderr:\n" + err.getNow(""));
    }
    String stdout = out.get(10, TimeUnit.SECONDS);
    String stderr = err.get(10, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (p.exitValue() != 0) {
      throw new AssertionError(main.getSimpleName() + " exited " + p.exitValue() + "; stdout:\n" + stdout + "\nstderr:\n" + stderr);
    }
    List<String> agentErrors = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      if (line.contains("[racetrace] ERROR") || line.contains("Exception") || line.contains("\tat ")) {
        agentErrors.add(line);
      }
    }
    if (!agentErrors.isEmpty()) {
      throw new AssertionError("agent errors in " + main.getSimpleName() + "'s stderr:\n" + stderr);
    }
    JsonNode truth = null;
    for (String line : stdout.split("\n")) {
      if (line.startsWith("truth ")) {
        truth = JSON.readTree(line.substring("truth ".length()));
      }
    }
    if (truth == null) {
      throw new AssertionError(main.getSimpleName() + " printed no truth line; stdout:\n" + stdout + "\nstderr:\n" + stderr);
    }
    return new App(truth, stdout, stderr, seconds);
  }

  /** {@code ./racetrace analyze QUEUE... --out OUT --criteria CRITERIA}, as a user types it. */
  static Report analyze(Path out, Path... queues) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", RACETRACE.toString(), "analyze"));
    for (Path q : queues) {
      cmd.add(q.toString());
    }
    cmd.addAll(List.of("--out", out.toString(), "--criteria", CRITERIA.toString(), "--no-rows-csv"));
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    CompletableFuture<String> output = drain(p.getInputStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("racetrace analyze did not finish in 120 s");
    }
    String text = output.get(10, TimeUnit.SECONDS);
    int exit = p.exitValue();
    Path json = out.resolve("report.json");
    if (exit == 2 || !Files.exists(json)) {
      throw new AssertionError("racetrace analyze exited " + exit + " without a report:\n" + text);
    }
    return new Report(JSON.readTree(json.toFile()), exit, text, (System.nanoTime() - t0) / 1e9);
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        f.complete(buf.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.complete("");
      }
    }, "drain");
    t.setDaemon(true);
    t.start();
    return f;
  }
}
