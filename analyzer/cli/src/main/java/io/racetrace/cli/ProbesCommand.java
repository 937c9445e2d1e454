package io.racetrace.cli;

import io.racetrace.agent.core.check.ClassPathIndex;
import io.racetrace.agent.core.check.ProbeCheck;
import io.racetrace.agent.core.probe.ProbeFile;
import io.racetrace.agent.core.probe.ProbeFileException;
import io.racetrace.agent.core.probe.ProbeFileParser;
import io.racetrace.analyzer.cli.ExitCodes;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code racetrace probes check --probes FILE (--class-path CP | PID)}. */
@Command(name = "probes", mixinStandardHelpOptions = true, description = "Work with probe files.",
    exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {"0:this help", ExitCodes.USAGE_LINE},
    subcommands = ProbesCommand.Check.class)
final class ProbesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Show which methods each probe matches, before a capture depends on it.",
          "With --class-path: read the application's jars and class directories (fat jars included) without running it;"
              + " for a probe that matches nothing, say why and list the nearest candidates.",
          "With a PID: attach to the running JVM, list what each probe matched there, and detach."},
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {"0:every probe matches at least one method", "1:attach refused (with a PID)",
          "2:bad input: usage, probe file, class path, or (with --class-path) an amount a matched method declares as"
              + " no number; one line, no stack trace",
          "3:at least one probe matches nothing (the output says why and lists the nearest candidates)"})
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--probes", required = true, paramLabel = "FILE", description = "Probe file (YAML or JSON).")
    Path probes;

    @Option(names = {"--class-path", "-cp"}, paramLabel = "CP",
        description = "The application's class path: jars (fat jars too) and directories, separated by ':' (';' on Windows).")
    String classPath;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PID", description = "A running JVM to check against instead.")
    Long pid;

    @Option(names = "--agent-jar", paramLabel = "JAR", description = "The agent jar, with a PID (default: agent/target/racetrace-agent.jar).")
    Path agentJar;

    @Override
    public Integer call() throws Exception {
      if ((classPath == null) == (pid == null)) {
        throw new UserException(RacetraceMain.USAGE, "probes check needs either --class-path CP or a PID (not both)");
      }
      ProbeFile file;
      try {
        file = ProbeFileParser.parse(probes);
      } catch (ProbeFileException e) {
        throw new UserException(RacetraceMain.USAGE, e.getMessage());
      }
      return classPath != null ? onClassPath(file) : inJvm();
    }

    private int onClassPath(ProbeFile file) {
      List<Path> entries = new ArrayList<>();
      for (String e : classPath.split(File.pathSeparator)) {
        if (!e.isBlank()) {
          Path p = Path.of(e);
          if (!Files.exists(p)) {
            throw new UserException(RacetraceMain.USAGE, "class path entry not found: " + e);
          }
          entries.add(p);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      int unmatched = 0;
      int problems = 0;
      try (ClassPathIndex index = new ClassPathIndex(entries)) {
        out.println("racetrace: " + file.probes().size() + " probe(s) of " + probes.getFileName() + " against "
            + index.classNames().size() + " classes");
        for (ProbeCheck.Result r : new ProbeCheck(index).check(file.probes())) {
          out.println("  probe " + r.probe().name() + " (" + r.probe().target() + "): " + r.methods().size()
              + (r.methods().size() == 1 ? " method" : " methods"));
          for (String m : r.methods()) {
            out.println("      " + m);
          }
          for (String problem : r.problems()) {
            problems++;
            out.println("      " + problem);
          }
          if (!r.matched()) {
            unmatched++;
            for (String why : r.reasons()) {
              out.println("      " + why);
            }
            if (!r.candidates().isEmpty()) {
              out.println("      candidates:");
              for (String c : r.candidates()) {
                out.println("        " + c);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UserException(RacetraceMain.USAGE, "cannot read the class path: " + e.getMessage());
      }
      if (problems > 0) {
        // The file parses but would not capture what it says: bad input, as a parse error is.
        spec.commandLine().getErr().println("racetrace: " + probes + ": " + problems
            + " problem(s) above (an amount that is no number is left out of the capture)");
        return RacetraceMain.USAGE;
      }
      return unmatched == 0 ? RacetraceMain.OK : RacetraceMain.UNMATCHED;
    }

    /** Attach with the probe file into a throwaway queue, list the matches, detach. */
    private int inJvm() throws IOException {
      Path queue = Files.createTempDirectory("racetrace-probes-check-");
      try {
        Path jar = AgentJar.locate(agentJar);
        AgentAttacher attacher = new AgentAttacher(spec.commandLine().getOut(), spec.commandLine().getErr());
        List<AgentAttacher.ProbeMatch> matches = attacher.attach(pid, jar,
            "probes=" + probes.toAbsolutePath() + ",queue=" + queue.toAbsolutePath());
        attacher.detach(pid, jar);
        PrintWriter out = spec.commandLine().getOut();
        out.println("racetrace: probes of " + probes.getFileName() + " in JVM " + pid + " (attached, listed, detached)");
        int unmatched = 0;
        for (AgentAttacher.ProbeMatch m : matches) {
          out.println("  probe " + m.name() + " (" + m.target() + "): " + m.methods() + (m.methods() == 1 ? " method" : " methods"));
          if (m.methods() == 0) {
            unmatched++;
            out.println("      " + m.why() + " (for candidates, run with --class-path)");
          }
        }
        return unmatched == 0 ? RacetraceMain.OK : RacetraceMain.UNMATCHED;
      } finally {
        deleteQuietly(queue);
      }
    }

    private static void deleteQuietly(Path dir) {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(f);
        }
      } catch (IOException | RuntimeException ignored) {
        // a temporary directory
      }
    }
  }
}
