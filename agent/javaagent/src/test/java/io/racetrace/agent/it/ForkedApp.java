package io.racetrace.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fixture app in a JVM of its own, driven line by line over stdin/stdout. Strips
 * {@code JAVA_TOOL_OPTIONS} so no other agent sneaks in; every wait has a timeout; {@link #close()}
 * kills the process if it has not exited.
 */
final class ForkedApp implements AutoCloseable {
  static final Path AGENT_JAR = Path.of(System.getProperty("racetrace.agent.jar", "target/racetrace-agent.jar")).toAbsolutePath();
  private static final Path TEST_CLASSES = Path.of("target/test-classes").toAbsolutePath();

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  final long pid;

  ForkedApp(List<String> jvmArgs) throws IOException, InterruptedException {
    this(javaHome(), jvmArgs);
  }

  ForkedApp(Path javaHome, List<String> jvmArgs) throws IOException, InterruptedException {
    this(javaHome, jvmArgs, List.of());
  }

  /** @param libraries jars the fixture needs besides its own classes (a JDBC driver), on its class path */
  ForkedApp(Path javaHome, List<String> jvmArgs, List<Path> libraries) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin/java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    List<String> classPath = new ArrayList<>(List.of(TEST_CLASSES.toString()));
    libraries.forEach(l -> classPath.add(l.toString()));
    cmd.add(String.join(java.io.File.pathSeparator, classPath));
    cmd.add("io.racetrace.agent.fixture.FixtureApp");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    process = pb.start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
    pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    String ready = await("ready pid=");
    pid = Long.parseLong(ready.substring("ready pid=".length()));
    AgentErrorsCheck.opened(this);
  }

  static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  static String agentArg(Path probes, Path queue) {
    return "-javaagent:" + AGENT_JAR + "=probes=" + probes + ",queue=" + queue;
  }

  private void pump(BufferedReader r, boolean out) {
    Thread t = new Thread(() -> {
      try {
        String line;
        while ((line = r.readLine()) != null) {
          if (out) {
            stdout.add(line);
          } else {
            stderr.append(line).append('\n');
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, out ? "fixture-stdout" : "fixture-stderr");
    t.setDaemon(true);
    t.start();
  }

  void send(String command) throws IOException {
    stdin.write(command + "\n");
    stdin.flush();
  }

  /** Waits for the next stdout line starting with {@code prefix}, skipping others, and returns it. */
  String await(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String line = stdout.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line starting '" + prefix + "' within 60 s; stderr:\n" + stderr);
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Sends {@code exit} and waits for the JVM to end (shutdown hooks flush the queue). */
  int exit() throws Exception {
    send("exit");
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("fixture did not exit; stderr:\n" + stderr);
    }
    return process.exitValue();
  }

  String stderr() {
    return stderr.toString();
  }

  /**
   * Agent errors in the child's stderr: a weaving failure must fail the test, not pass silently.
   * The JVM's own CDS notice about an appended boot class path is not ours and is ignored.
   */
  List<String> agentErrors() {
    List<String> errors = new ArrayList<>();
    for (String line : stderr().split("\n")) {
      if (line.contains("[racetrace] ERROR") || line.contains("Exception") || line.contains("\tat ")) {
        errors.add(line);
      }
    }
    return errors;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
