package io.racetrace.analyzer.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.analyzer.model.Results.Workload;
import io.racetrace.analyzer.report.ReportWriter;
import io.racetrace.trace.TraceFormatException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Refuses a baseline and a retest of unrelated runs, which no package may compare. The load
 * generator's workload fingerprint decides where both phases have one; otherwise what a retest of
 * the same workload cannot change: the keys' starting stock and the hottest key. Softer differences
 * (rates within 10 %) are compare's workload warnings, shown in the package, not refused.
 */
final class RunCheck {
  private RunCheck() {}

  static void sameRun(Phase baseline, Phase retest) throws TraceFormatException {
    String bf = text(baseline.truth("/workloadFingerprint"));
    String rf = text(retest.truth("/workloadFingerprint"));
    if (bf != null && rf != null) {
      if (!bf.equals(rf)) {
        throw unrelated(retest, PhaseLoader.GROUND_TRUTH, "workloadFingerprint " + rf + " is not the baseline's " + bf);
      }
      return;
    }
    Workload b = baseline.report().workload();
    Workload r = retest.report().workload();
    if (b.initialStateTotal() != null && r.initialStateTotal() != null
        && !b.initialStateTotal().equals(r.initialStateTotal())) {
      throw unrelated(retest, ReportWriter.JSON, "workload.initialStateTotal " + r.initialStateTotal()
          + " is not the baseline's " + b.initialStateTotal());
    }
    if (b.topKey() != null && r.topKey() != null && !Objects.equals(b.topKey(), r.topKey())) {
      throw unrelated(retest, ReportWriter.JSON, "workload.topKey " + r.topKey() + " is not the baseline's " + b.topKey());
    }
  }

  private static TraceFormatException unrelated(Phase retest, String file, String why) {
    Path f = file.equals(PhaseLoader.GROUND_TRUTH) ? groundTruthFile(retest) : retest.dir().resolve(file);
    return new TraceFormatException(f, why + ": the baseline and the retest are not of the same workload");
  }

  private static Path groundTruthFile(Phase p) {
    Path own = p.dir().resolve(PhaseLoader.GROUND_TRUTH);
    return java.nio.file.Files.isRegularFile(own) ? own
        : p.dir().toAbsolutePath().normalize().getParent().resolve(PhaseLoader.GROUND_TRUTH);
  }

  static String text(JsonNode n) {
    return n == null || !n.isTextual() ? null : n.asText();
  }
}
