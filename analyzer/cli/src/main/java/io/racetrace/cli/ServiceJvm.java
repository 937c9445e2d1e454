package io.racetrace.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One reference-service JVM for the demo, started without the agent (the demo attaches to it per
 * phase) and allowed to take agents at run time on Java 21+. Its output goes to a log file; it is
 * ready when it prints {@code ready: port=N} (60 s at most). {@link #close()} stops it with SIGTERM,
 * then kills it if it lingers.
 */
final class ServiceJvm implements AutoCloseable {
  private final Process process;
  final URI uri;
  final long pid;

  ServiceJvm(Path serviceJar, List<String> args, Path log) throws IOException {
    this(serviceJar, List.of("--port", "0"), args, log);
  }

  /** @param portArgs how the service is told to pick a free port (Spring Boot: {@code --port=0}) */
  ServiceJvm(Path serviceJar, List<String> portArgs, List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading",
        "-jar", serviceJar.toString()));
    cmd.addAll(portArgs);
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    process = pb.start();
    pid = process.pid();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
        String line;
        while ((line = r.readLine()) != null) {
          w.println(line);
          if (line.startsWith("ready: port=")) {
            port.complete(Integer.parseInt(line.substring("ready: port=".length()).trim()));
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      port.completeExceptionally(new IOException("the service exited before it was ready; see " + log));
    }, "service-output-" + pid);
    pump.setDaemon(true);
    pump.start();
    try {
      uri = URI.create("http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new UserException(RacetraceMain.FAILED, "the reference service did not start: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.toString()));
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
