package io.racetrace.cli;

import io.racetrace.analyzer.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code racetrace attach PID --probes FILE --queue DIR [--duration 60s] [--budget 2] [-o KEY=VALUE]...}. */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = {"Attach the agent to a running JVM and start capturing.",
        "Classes already loaded are retransformed; the capture runs until 'racetrace detach', the duration, or JVM exit."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:attached, every probe matched a method",
        "1:refused: no such process, not a JVM, another user's, already attached, the agent did not start",
        ExitCodes.USAGE_LINE, "3:attached, but at least one probe matched no method (the line on stderr says why)"})
final class AttachCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "Process id of the target JVM (same OS user).")
  long pid;

  @Option(names = "--probes", required = true, paramLabel = "FILE", description = "Probe file (YAML or JSON).")
  Path probes;

  @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Queue directory to capture into (created, owner-only).")
  Path queue;

  @Option(names = "--duration", paramLabel = "DURATION", description = "Detach by itself after this long, e.g. 60s, 5m.")
  String duration;

  @Option(names = "--worker", paramLabel = "NAME", description = "Worker name written into the capture (default host:pid).")
  String worker;

  @Option(names = "--budget", paramLabel = "PERCENT",
      description = "Overhead budget: past this share of the process's CPU time the agent captures fewer whole keys.")
  String budget;

  @Option(names = {"-o", "--agent-option"}, paramLabel = "KEY=VALUE",
      description = "Any other agent option (repeatable), e.g. -o callTiming=full -o hashIds=true; see the README.")
  java.util.List<String> agentOptions = new java.util.ArrayList<>();

  @Option(names = "--agent-jar", paramLabel = "JAR", description = "The agent jar (default: agent/target/racetrace-agent.jar).")
  Path agentJar;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(probes)) {
      throw new UserException(RacetraceMain.USAGE, "probe file not found: " + probes);
    }
    if (duration != null && !duration.matches("[0-9]+(ms|s|m|h)")) {
      throw new UserException(RacetraceMain.USAGE, "bad --duration '" + duration + "' (e.g. 60s, 5m)");
    }
    for (String o : agentOptions) {
      if (!o.matches("[A-Za-z]+=[^,]*")) {
        throw new UserException(RacetraceMain.USAGE, "bad --agent-option '" + o + "' (KEY=VALUE, no commas)");
      }
    }
    if (budget != null && !budget.matches("[0-9]+(\\.[0-9]+)?%?")) {
      throw new UserException(RacetraceMain.USAGE, "bad --budget '" + budget + "' (a percentage, e.g. 2 or 0.5)");
    }
    for (Path p : new Path[] {probes, queue}) {
      if (p.toString().contains(",")) {
        throw new UserException(RacetraceMain.USAGE, "paths given to the agent may not contain ',': " + p);
      }
    }
    StringBuilder args = new StringBuilder()
        .append("probes=").append(probes.toAbsolutePath())
        .append(",queue=").append(queue.toAbsolutePath());
    if (duration != null) {
      args.append(",duration=").append(duration);
    }
    if (worker != null) {
      args.append(",worker=").append(worker);
    }
    if (budget != null) {
      args.append(",budget=").append(budget);
    }
    for (String o : agentOptions) {
      args.append(',').append(o);
    }
    Path jar = AgentJar.locate(agentJar);
    java.util.List<AgentAttacher.ProbeMatch> matches =
        new AgentAttacher(spec.commandLine().getOut(), spec.commandLine().getErr()).attach(pid, jar, args.toString());
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.println("racetrace: attached to " + pid + ", capturing into " + queue.toAbsolutePath()
        + (duration == null ? "; stop with 'racetrace detach " + pid + "'" : " for " + duration));
    int unmatched = 0;
    for (AgentAttacher.ProbeMatch m : matches) {
      out.println("  probe " + m.name() + " (" + m.target() + "): " + m.methods() + (m.methods() == 1 ? " method" : " methods"));
      if (m.methods() == 0) {
        unmatched++;
        spec.commandLine().getErr().println("racetrace: probe " + m.name() + " matched no method: " + m.why());
      }
    }
    // The capture runs either way (a class may load later), but a capture missing a probe's rows
    // could mislead: say so in the exit code too.
    return unmatched == 0 ? RacetraceMain.OK : RacetraceMain.UNMATCHED;
  }
}
