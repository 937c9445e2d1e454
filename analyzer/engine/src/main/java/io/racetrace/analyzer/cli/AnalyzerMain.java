package io.racetrace.analyzer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs the analyzer on its own: {@code java <opens> -jar racetrace-analyzer.jar analyze|compare
 * ...}. The only {@code System.exit} of the analyzer is here; the commands return exit codes, so
 * the top-level {@code racetrace} CLI can mount them as subcommands.
 *
 * <p>Exit codes: 0 release criteria pass, 1 they fail, 2 usage or input error.
 */
@Command(name = "racetrace-analyzer", mixinStandardHelpOptions = true, versionProvider = AnalyzerMain.Version.class,
    subcommands = {AnalyzeCommand.class, CompareCommand.class, ReportCommand.class, CommandLine.HelpCommand.class},
    description = "Finds lost updates, duplicate confirmations, retry storms, queueing overload and storage faults in"
        + " racetrace captures, and judges them against release criteria.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.ANALYZE_PASS, ExitCodes.ANALYZE_FAIL, ExitCodes.USAGE_LINE})
public final class AnalyzerMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    quietLibraries();
    System.exit(run(args));
  }

  /**
   * Before any Chronicle class loads: no SLF4J "no providers" banner and no Chronicle analytics,
   * announcer or disk monitor, so that an error is the one line we print. Only sets what is unset.
   */
  static void quietLibraries() {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    io.racetrace.trace.ChronicleSettings.apply();
  }

  /** Parses and runs; returns the exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new AnalyzerMain());
    cl.setExitCodeExceptionMapper(t -> ExitCodes.INPUT_ERROR);
    Colors.apply(cl, System.getenv());
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
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: analyze, compare or report");
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AnalyzerMain.class.getPackage().getImplementationVersion();
      return new String[] {"racetrace-analyzer " + (v == null ? "dev" : v)};
    }
  }
}
