package io.racetrace.cli;

import io.racetrace.analyzer.cli.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code racetrace detach PID}. */
@Command(name = "detach", mixinStandardHelpOptions = true,
    description = "Stop capturing in a JVM: restore every woven class, flush and close the queue. The app keeps running.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:detached", "1:refused: not attached, no such process, not a JVM, another user's", ExitCodes.USAGE_LINE})
final class DetachCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "Process id of the target JVM.")
  long pid;

  @Option(names = "--agent-jar", paramLabel = "JAR", description = "The agent jar (default: agent/target/racetrace-agent.jar).")
  Path agentJar;

  @Override
  public Integer call() {
    new AgentAttacher(spec.commandLine().getOut(), spec.commandLine().getErr()).detach(pid, AgentJar.locate(agentJar));
    spec.commandLine().getOut().println("racetrace: detached from " + pid);
    return RacetraceMain.OK;
  }
}
