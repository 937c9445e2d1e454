package io.racetrace.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the agent jar: {@code --agent-jar} if given, else {@code agent/target/racetrace-agent.jar}
 * under {@code racetrace.home} (set by the {@code ./racetrace} launcher), else next to this CLI's
 * own jar.
 */
final class AgentJar {
  private AgentJar() {}

  static Path locate(Path explicit) {
    if (explicit != null) {
      return check(explicit.toAbsolutePath());
    }
    String home = System.getProperty("racetrace.home");
    if (home != null) {
      return check(Path.of(home, "agent", "target", "racetrace-agent.jar").toAbsolutePath());
    }
    try {
      Path self = Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return check(self.getParent().getParent().getParent().resolve("agent/target/racetrace-agent.jar"));
    } catch (Exception e) {
      throw new UserException(RacetraceMain.USAGE, "cannot find the agent jar; pass --agent-jar");
    }
  }

  private static Path check(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new UserException(RacetraceMain.USAGE, "agent jar not found: " + p + " (build it with 'mvn -B -DskipTests package', or pass --agent-jar)");
    }
    return p;
  }
}
