package io.racetrace.analyzer.cli;

import io.racetrace.analyzer.util.PrivateFiles;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.AnalysisOptions;
import io.racetrace.analyzer.compare.Comparison;
import io.racetrace.analyzer.compare.OfferedLoad;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.CriteriaLoader;
import io.racetrace.analyzer.report.JsonReport;
import io.racetrace.analyzer.report.ReportWriter;
import io.racetrace.trace.TraceFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code racetrace compare BASELINE_DIR RETEST_DIR}: the side-by-side retest table. Each argument
 * is either an {@code analyze} output directory (its report.json is read) or capture queue
 * directories (analyzed now). Warns when the two captures did not run the same workload: from the
 * load generator's offered schedule where its ground-truth.json lies beside a directory or one
 * level up, else from what the captures show. Exit code:
 * the retest's release verdict (0 pass, 1 fail), 2 on usage or input errors.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare a baseline capture with a retest after mitigation (the validation plan step 7).",
        "BASELINE_DIR and RETEST_DIR are analyze output directories (with report.json) or capture queues.",
        "Warns when the two captures did not run the same workload."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.COMPARE_PASS, ExitCodes.COMPARE_FAIL, ExitCodes.USAGE_LINE})
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BASELINE_DIR") Path baseline;

  @Parameters(index = "1", paramLabel = "RETEST_DIR") Path retest;

  @Option(names = {"-c", "--criteria"}, paramLabel = "FILE",
      description = "Criteria for captures analyzed now (report.json inputs keep theirs).")
  Path criteria;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Also write compare.md and compare.json here.")
  Path out;

  @Option(names = "--debug", hidden = true) boolean debug;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    return Run.guarded(err, debug, "compare", () -> {
      Criteria c;
      try {
        c = criteria == null ? Criteria.DEFAULTS : CriteriaLoader.load(criteria);
      } catch (CriteriaLoader.CriteriaException e) {
        err.println("racetrace compare: " + e.getMessage());
        return ExitCodes.INPUT_ERROR;
      }
      if (out != null) {
        // Writing beside a report it reads (--out RETEST_DIR) keeps that report: it is this run's input.
        boolean besideInput = OutDir.same(out, baseline) || OutDir.same(out, retest);
        OutDir.say(outw, out, OutDir.clear(out, OutDir.COMPARE, besideInput ? OutDir.REPORT : List.of()));
      }
      AnalysisResult b = load(baseline, c);
      AnalysisResult r = load(retest, c);
      Comparison.Result cmp = Comparison.compare(b, r, offered(baseline), offered(retest));
      String md = Comparison.markdown(cmp);
      outw.print(md);
      outw.flush();
      if (out != null) {
        PrivateFiles.dir(out);
        PrivateFiles.writeString(out.resolve(OutDir.COMPARE_MD), md);
        try (java.io.Writer w = PrivateFiles.newWriter(out.resolve(OutDir.COMPARE_JSON))) {
          JsonReport.MAPPER_FOR_TOOLS.writeValue(w, cmp);
        }
      }
      return cmp.exitCode();
    });
  }

  /** What the load generator offered, from its ground truth beside the directory or one level up. */
  static OfferedLoad offered(Path dir) throws TraceFormatException {
    return OfferedLoad.of(io.racetrace.analyzer.release.PhaseLoader.groundTruth(dir));
  }

  static AnalysisResult load(Path dir, Criteria c) throws IOException, TraceFormatException {
    Path json = dir.resolve(ReportWriter.JSON);
    if (Files.isRegularFile(json)) {
      try {
        return JsonReport.read(json);
      } catch (IOException e) {
        throw new TraceFormatException(json, "not a readable report.json: " + Run.oneLine(e.getMessage()));
      }
    }
    int threads = Runtime.getRuntime().availableProcessors(); // as analyze's default
    return Analysis.run(List.of(dir), c, AnalysisOptions.DEFAULTS.withThreads(threads));
  }
}
