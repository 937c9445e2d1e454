package io.racetrace.analyzer.judge;

import io.racetrace.analyzer.model.Results.Sampling;
import io.racetrace.analyzer.model.Results.SamplingWorker;
import io.racetrace.analyzer.read.QueueSource;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Describes the agent's key sampling (schema version 2) for the reports: per worker, its budget,
 * final level, first cut and the overhead that triggered it; for the analysis, the effective level
 * and what was excluded, in one plain sentence.
 */
public final class KeySampling {
  private KeySampling() {}

  /** True if any queue holds a sampling record (read ahead of the rows, or while streaming). */
  public static boolean anySampled(List<QueueSource> sources) {
    return sources.stream().anyMatch(s -> s.plannedSampling() != null || s.samplingRecords() > 0);
  }

  /**
   * The sampling block of the report, or {@code null} if no queue holds a sampling record.
   *
   * @param effectiveLevel the level rows were filtered at (see {@code SamplingFilter})
   * @param keysAnalyzed keys the analysis saw
   */
  public static Sampling describe(List<QueueSource> sources, int effectiveLevel, long keysAnalyzed, long keysExcluded,
      long rowsExcluded) {
    if (!anySampled(sources)) {
      return null;
    }
    List<SamplingWorker> workers = new ArrayList<>();
    long notCaptured = 0;
    Integer budget = null;
    for (QueueSource s : sources) {
      SamplingChange last = s.lastSampling() != null ? s.lastSampling() : s.plannedSampling();
      CaptureCounters c = s.counters();
      if (c != null) {
        notCaptured += c.droppedSampled();
      }
      if (last == null) {
        workers.add(new SamplingWorker(s.workerId(), false, null, TraceSchema.SAMPLE_ALL, 100.0, 0, null, null, null,
            null, c == null ? null : c.droppedSampled()));
        continue;
      }
      if (budget == null || last.budgetPermille() < budget) {
        budget = last.budgetPermille();
      }
      SamplingChange cut = s.firstCut();
      Long cutWall = cut == null ? null : cut.wallEpochNanos();
      Double after = cut == null || s.header() == null ? null
          : Math.max(0, cut.wallEpochNanos() - s.header().wallEpochNanos()) / 1e9;
      boolean lastIsCut = s.cuts() > 0 && last.level() < TraceSchema.SAMPLE_ALL;
      workers.add(new SamplingWorker(s.workerId(), true, last.budgetPermille() / 10.0, last.level(),
          percentOfKeySpace(last.level()), s.cuts(), cutWall, after,
          cut == null ? null : cut.measuredPermille() / 10.0, lastIsCut ? last.measuredPermille() / 10.0 : null,
          c == null ? null : c.droppedSampled()));
    }
    boolean all = effectiveLevel >= TraceSchema.SAMPLE_ALL;
    double share = percentOfKeySpace(effectiveLevel);
    String statement;
    if (all) {
      statement = "The agent ran with an overhead budget" + (budget == null ? "" : " of " + pct(budget / 10.0))
          + " but never needed to sample: every key was captured to the end and the analysis covers them all.";
    } else {
      statement = "The agent shed load by sampling whole keys: the analysis is exact for the " + count(keysAnalyzed,
          "key") + " captured to the end (" + pct(share) + " of the key space); " + count(keysExcluded, "key")
          + " with a partial history " + (keysExcluded == 1 ? "was" : "were") + " excluded (" + count(rowsExcluded,
          "row") + ").";
    }
    return new Sampling(all, effectiveLevel, share, keysAnalyzed, keysExcluded, rowsExcluded, notCaptured, statement,
        workers);
  }

  private static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  static double percentOfKeySpace(int level) {
    return 100.0 * Math.max(0, Math.min(level, TraceSchema.SAMPLE_ALL)) / TraceSchema.SAMPLE_ALL;
  }

  /** A percentage with at most three decimals, trailing zeros dropped: "50%", "12.5%", "0.002%". */
  public static String pct(double percent) {
    return ReleaseGate.pct(percent, 3);
  }
}
