package io.racetrace.analyzer.cli;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.AnalysisOptions;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.CriteriaLoader;
import io.racetrace.analyzer.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code racetrace analyze QUEUE_DIR... --out DIR [--criteria FILE]}: parses into an immutable
 * {@link Config}, runs the analysis, writes the reports, prints the decision and returns the exit
 * code (0 pass, 1 fail, 2 usage or input error). Never calls {@code System.exit}.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Analyze capture queues: lost updates, duplicate confirmations, retry storms, queueing overload,",
        "storage faults and hot keys; judge them against release criteria.",
        "Writes report.md, report.html, report.json and rows.csv into --out; a reused --out is first cleared of",
        "racetrace's files of an earlier run (other files are left alone)."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.ANALYZE_PASS, ExitCodes.ANALYZE_FAIL, ExitCodes.USAGE_LINE})
public final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "QUEUE_DIR",
      description = "Capture queue directories (one per worker JVM), or a directory holding them.")
  List<Path> queues;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = {"-c", "--criteria"}, paramLabel = "FILE",
      description = "Release criteria, YAML or JSON (default: the validation plan's values, criteria-default.yaml).")
  Path criteria;

  @Option(names = "--reorder-window-ms", paramLabel = "MS", defaultValue = "100",
      description = "Rows this far out of end-time order are put back in order (default: ${DEFAULT-VALUE}).")
  long reorderWindowMs;

  @Option(names = "--request-horizon-s", paramLabel = "S", defaultValue = "60",
      description = "Close executions whose REQUEST row has not come after this long (default: ${DEFAULT-VALUE}).")
  long requestHorizonS;

  @Option(names = "--dedup-horizon-s", paramLabel = "S", defaultValue = "600",
      description = "Duplicate confirmations at most this far apart are always found (default: ${DEFAULT-VALUE}).")
  long dedupHorizonS;

  @Option(names = "--dedup-max-ids", paramLabel = "N", defaultValue = "2000000",
      description = "...and at most this many requests apart; bounds its memory (default: ${DEFAULT-VALUE}).")
  int dedupMaxIds;

  @Option(names = "--top-keys", paramLabel = "N", defaultValue = "10", description = "Keys listed per hot-key table.")
  int topKeys;

  @Option(names = "--warmup-s", paramLabel = "S", description = {"Keep requests that arrived in the first S seconds",
      "after the capture began out of the latency and queue-delay verdicts (reported apart); overrides the",
      "criteria file's warmupSeconds."})
  Double warmupS;

  @Option(names = "--no-rows-csv", description = "Do not write rows.csv (it holds every row; large for big captures).")
  boolean noRowsCsv;

  @Option(names = "--same-run", description = {"The queues are workers of one run even though their probe files",
      "differ or their times do not overlap (without it such queues are refused together)."})
  boolean sameRun;

  @Option(names = "--threads", paramLabel = "N", description = {"Threads to use (default: the machine's cores).",
      "1: the whole analysis on one thread; 2: the detectors' work on completed requests on a second;",
      "3 or more: also each queue read and decoded on a thread of its own. The report is the same."})
  Integer threads;

  @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
  boolean quiet;

  @Option(names = "--progress", negatable = true, description = {"Print rows read, rate and time left on stderr",
      "(default: when stderr is a terminal; never with --quiet)."})
  Boolean progress;

  @Option(names = "--debug", hidden = true, description = "Print stack traces of unexpected errors.")
  boolean debug;

  /** The parsed command line. */
  public record Config(List<Path> queues, Path out, Criteria criteria, AnalysisOptions options, boolean quiet) {
    /** The files this run writes into {@link #out}. */
    List<String> writes() {
      return options.rowsCsv() != null ? OutDir.REPORT
          : OutDir.REPORT.stream().filter(f -> !f.equals(ReportWriter.CSV)).toList();
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    Config cfg;
    try {
      cfg = config();
    } catch (CriteriaLoader.CriteriaException e) {
      err.println("racetrace analyze: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    } catch (IllegalArgumentException e) {
      err.println("racetrace analyze: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    return Run.guarded(err, debug, "analyze", () -> {
      List<String> writes = cfg.writes();
      List<String> stale = OutDir.clear(cfg.out(), writes, List.of());
      if (!cfg.quiet()) {
        OutDir.say(outw, cfg.out(), stale);
      }
      io.racetrace.analyzer.util.PrivateFiles.dir(cfg.out());
      boolean terminal = System.console() != null;
      boolean show = !cfg.quiet() && (progress != null ? progress : terminal);
      AnalysisResult r = Analysis.run(cfg.queues(), cfg.criteria(), cfg.options(),
          show ? new ProgressLine(err, terminal) : io.racetrace.analyzer.read.Progress.NONE);
      ReportWriter.writeAll(r, cfg.out());
      if (!cfg.quiet()) {
        Summary.print(outw, r, cfg.out(), writes);
      }
      return r.release().exitCode();
    });
  }

  Config config() throws CriteriaLoader.CriteriaException {
    Criteria c = criteria == null ? Criteria.DEFAULTS : CriteriaLoader.load(criteria);
    if (reorderWindowMs < 0 || requestHorizonS <= 0 || dedupHorizonS <= 0 || dedupMaxIds < 1000 || topKeys < 1) {
      throw new IllegalArgumentException("--reorder-window-ms must be >= 0, horizons > 0, --dedup-max-ids >= 1000"
          + " and --top-keys >= 1");
    }
    if (warmupS != null) {
      if (!(warmupS >= 0 && warmupS < 86_400)) {
        throw new IllegalArgumentException("--warmup-s must be >= 0 and under a day (got " + warmupS + ")");
      }
      c = c.withWarmupSeconds(warmupS == 0 ? null : warmupS);
    }
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1 (got " + threads + ")");
    }
    AnalysisOptions o = new AnalysisOptions(Duration.ofMillis(reorderWindowMs), Duration.ofSeconds(requestHorizonS),
        Duration.ofSeconds(dedupHorizonS), dedupMaxIds, noRowsCsv ? null : out.resolve(ReportWriter.CSV), topKeys,
        sameRun).withThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    return new Config(List.copyOf(queues), out, c, o, quiet);
  }
}
