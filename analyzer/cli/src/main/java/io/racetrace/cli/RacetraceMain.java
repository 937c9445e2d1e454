package io.racetrace.cli;

import io.racetrace.analyzer.cli.Colors;
import io.racetrace.analyzer.cli.ExitCodes;
import io.racetrace.trace.ChronicleSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code racetrace} command. Exit codes: 0 success (for {@code analyze}: release criteria
 * pass), 1 failure (criteria fail, attach refused), 2 usage or input error, 3 (attach) attached,
 * but at least one probe matched no method. User errors print one
 * line to stderr, never a stack trace; {@code RACETRACE_DEBUG=1} adds the trace for bug reports.
 */
@Command(
    name = "racetrace",
    mixinStandardHelpOptions = true,
    versionProvider = RacetraceMain.Version.class,
    description = "Finds race conditions in services that were never written to be traced.",
    exitCodeListHeading = "%nExit codes (each command's --help lists its own):%n",
    exitCodeList = {"0:success (analyze, compare, report, demo: the release criteria pass)",
        "1:failure: the criteria fail, or attach/detach was refused", ExitCodes.USAGE_LINE,
        "3:attach, probes check: a probe matched no method"},
    subcommands = {AttachCommand.class, DetachCommand.class, ProbesCommand.class, DumpCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class RacetraceMain implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  /** {@code attach}: the capture runs, but at least one probe matched no method. */
  public static final int UNMATCHED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; never calls {@code System.exit}. */
  public static int run(String... args) {
    quietLibraries();
    return commandLine().execute(args);
  }

  /** Runs with the given output streams, for embedding and tests. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    quietLibraries();
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /** Before any Chronicle class loads: no analytics, banner or SLF4J notice in our output. */
  static void quietLibraries() {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    ChronicleSettings.apply();
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new RacetraceMain());
    cl.addSubcommand(new io.racetrace.analyzer.cli.AnalyzeCommand());
    cl.addSubcommand(new io.racetrace.analyzer.cli.CompareCommand());
    cl.addSubcommand(new io.racetrace.analyzer.cli.ReportCommand());
    Colors.apply(cl, System.getenv()); // after the last subcommand: it applies to those it finds
    cl.setExitCodeExceptionMapper(t -> USAGE);
    cl.setParameterExceptionHandler((ex, args) -> {
      ex.getCommandLine().getErr().println("racetrace: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof UserException) {
        commandLine.getErr().println("racetrace: " + ex.getMessage());
        return ((UserException) ex).exitCode;
      }
      commandLine.getErr().println("racetrace: internal error: " + ex);
      if (System.getenv("RACETRACE_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      return USAGE;
    });
    return cl;
  }

  @CommandLine.Option(names = "--no-color", scope = CommandLine.ScopeType.INHERIT,
      description = "No ANSI colours in the help (also without: NO_COLOR set, or output not a terminal).")
  void noColor(boolean off) {
    if (off) {
      Colors.off(spec.commandLine());
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RacetraceMain.class.getPackage().getImplementationVersion();
      return new String[] {"racetrace " + (v == null ? "dev" : v)};
    }
  }
}
