package io.racetrace.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A reference service in a JVM of its own, optionally with the agent: the way a user runs it.
 * Waits for its {@code ready: port=N} line (60 s at most; 120 s for the Spring service);
 * {@link #close()} stops it with SIGTERM so the agent flushes its queue and footer, then kills it
 * if it lingers.
 */
final class ServiceProcess implements AutoCloseable {
  static final Path ROOT = Path.of(System.getProperty("racetrace.root", "..")).toAbsolutePath().normalize();
  static final Path AGENT = ROOT.resolve("agent/target/racetrace-agent.jar");
  static final Path SERVICE = ROOT.resolve("target-service/target/racetrace-target-service.jar");
  static final Path SPRING_SERVICE = ROOT.resolve("target-service/target/racetrace-spring-service.jar");

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  final URI uri;

  ServiceProcess(Path probes, Path queue, String... serviceArgs) throws Exception {
    this(probes == null ? null : "probes=" + probes + ",queue=" + queue, serviceArgs);
  }

  /** With the agent arguments as given (relative paths resolve against the repository root). */
  ServiceProcess(String agentArgs, String... serviceArgs) throws Exception {
    this(List.of(), agentArgs, List.of("-jar", SERVICE.toString(), "--port", "0"), 60, serviceArgs);
  }

  /**
   * The Spring Boot service ({@code target-service/spring-service}), which takes its options as
   * {@code --name=value}. C1 only and the serial collector: they halve its start on a busy 2-core
   * machine, as in its own tests.
   */
  static ServiceProcess spring(String agentArgs, String... serviceArgs) throws Exception {
    return new ServiceProcess(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), agentArgs,
        List.of("-jar", SPRING_SERVICE.toString(), "--port=0"), 120, serviceArgs);
  }

  private ServiceProcess(List<String> jvmArgs, String agentArgs, List<String> jar, int startSeconds,
      String... serviceArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    cmd.addAll(jvmArgs);
    if (agentArgs != null) {
      cmd.add("-javaagent:" + AGENT + "=" + agentArgs);
    }
    cmd.addAll(jar);
    cmd.addAll(List.of(serviceArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(ROOT.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    process = pb.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("ready: port=")) {
            port.complete(Integer.parseInt(line.substring("ready: port=".length()).trim()));
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
      port.completeExceptionally(new IllegalStateException("service exited before it was ready:\n" + output));
    }, "service-output");
    pump.setDaemon(true);
    pump.start();
    try {
      uri = URI.create("http://127.0.0.1:" + port.get(startSeconds, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("service did not start: " + e.getMessage() + "\n" + output, e);
    }
  }

  long pid() {
    return process.pid();
  }

  String output() {
    return output.toString();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
