package io.racetrace.analyzer.cli;

import io.racetrace.analyzer.release.Phase;
import io.racetrace.analyzer.release.PhaseLoader;
import io.racetrace.analyzer.release.ReleaseBuilder;
import io.racetrace.analyzer.release.ReleaseInputs;
import io.racetrace.analyzer.release.ReleasePackage;
import io.racetrace.analyzer.release.ReleaseWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code racetrace report}: the release package of one run (the validation plan's Step 8 table,
 * workload, harness, screens, retest table, residual risks, monitoring triggers, decision) from the
 * analyze outputs of its phases. Reads report.json files only: nothing is analyzed again.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build the release package of a run from its phases' analyze outputs: release.md, release.html"
        + " and release.json in --out.",
        "Each DIR is an analyze --out directory (with report.json); a ground-truth.json of the load generator in DIR"
            + " or its parent adds the workload's identity, client latency and what the phase injected.",
        "The decision is never more lenient than the retest's own release gate."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.REPORT_PASS, ExitCodes.REPORT_FAIL, ExitCodes.REPORT_USAGE})
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--baseline", required = true, paramLabel = "DIR",
      description = "The baseline load phase (the build before the mitigation).")
  Path baseline;

  @Option(names = "--retest", required = true, paramLabel = "DIR",
      description = "The retest load phase: the mitigated build under the same workload.")
  Path retest;

  @Option(names = "--reproduction", paramLabel = "DIR",
      description = "The controlled two-client race reproduction on the baseline build (without it: not tested).")
  Path reproduction;

  @Option(names = "--phase", paramLabel = "NAME=DIR", description = "A further phase of the mitigated build"
      + " (functional, fault injection...); repeatable.")
  Map<String, Path> phases = new LinkedHashMap<>();

  @Option(names = "--baseline-phase", paramLabel = "NAME=DIR", description = "A further phase of the baseline build;"
      + " repeatable.")
  Map<String, Path> baselinePhases = new LinkedHashMap<>();

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
      description = "Where release.md, release.html and release.json go (links in them are relative to it).")
  Path out;

  @Option(names = "--debug", hidden = true) boolean debug;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter o = spec.commandLine().getOut();
    return Run.guarded(err, debug, "report", () -> {
      OutDir.say(o, out, OutDir.clear(out, ReleaseWriter.FILES, List.of()));
      List<Phase> more = new ArrayList<>();
      for (Map.Entry<String, Path> e : baselinePhases.entrySet()) {
        more.add(PhaseLoader.load(Phase.BASELINE, e.getKey(), Phase.OTHER, e.getValue()));
      }
      for (Map.Entry<String, Path> e : phases.entrySet()) {
        more.add(PhaseLoader.load(Phase.MITIGATED, e.getKey(), Phase.OTHER, e.getValue()));
      }
      ReleaseInputs in = new ReleaseInputs(
          PhaseLoader.load(Phase.BASELINE, "load", Phase.LOAD, baseline),
          PhaseLoader.load(Phase.MITIGATED, "load", Phase.LOAD, retest),
          reproduction == null ? null : PhaseLoader.load(Phase.BASELINE, "reproduction", Phase.REPRODUCTION, reproduction),
          more);
      ReleasePackage p = ReleaseBuilder.build(in, out);
      ReleaseWriter.writeAll(p, out);
      for (ReleasePackage.Item i : p.items()) {
        o.printf("%-20s %-12s%n", i.item(), i.status());
      }
      o.println("decision: " + p.decision().decision() + " (retest gate: " + p.decision().retestGateDecision() + ")");
      o.println("release package: " + out.resolve(ReleaseWriter.HTML));
      o.flush();
      return p.decision().exitCode();
    });
  }
}
