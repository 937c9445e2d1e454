package io.racetrace.analyzer.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.AnalysisOptions;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import org.junit.jupiter.api.Test;

/**
 * The detectors' merge (the seam of a key-partitioned run): the generated histories of the
 * differential test, analyzed with their keys spread over 2 and 3 detector sets that are merged
 * before judging, give the figures the simulated store counted itself and, section by section,
 * the report a single detector set gives (evidence, timeline, latency, release table included).
 * A merge that drops, double-counts or reorders anything fails here.
 */
class PartitionMergeTest {
  static final int TRIES = Integer.getInteger("racetrace.partition.tries", 300);

  @Test
  void keyPartitionedRuns_mergeToTheSingleRunsReport_andTheStoresFigures() throws Exception {
    int[] withEvidence = {0};
    int[] manyKeys = {0};
    DifferentialTest.eachHistory(DifferentialTest.SEED + 7_000_000, TRIES, (seed, h, run, queues) -> {
      AnalysisResult one = Analysis.run(queues, Criteria.DEFAULTS);
      for (int n : new int[] {2, 3}) {
        AnalysisResult split = Analysis.run(queues, Criteria.DEFAULTS, AnalysisOptions.DEFAULTS.withPartitions(n));
        String where = "seed " + seed + ", " + n + " partitions";
        assertEquals(run.truth(), DifferentialTest.figures(split), where + ": against the store\n" + h);
        assertEquals(one.summary(), split.summary(), where);
        assertEquals(one.detectors(), split.detectors(), where);
        assertEquals(one.timeline(), split.timeline(), where);
        assertEquals(one.latency(), split.latency(), where);
        assertEquals(one.release(), split.release(), where);
        assertEquals(one.rootCause(), split.rootCause(), where);
        assertEquals(one.workload(), split.workload(), where);
      }
      if (one.summary().keys() >= 2) {
        manyKeys[0]++;
      }
      var d = one.detectors();
      if (!d.lostUpdates().examples().isEmpty() || !d.duplicates().examples().isEmpty()) {
        withEvidence[0]++;
      }
    });
    // The comparison covers the evidence lists only if the histories produce some.
    assertTrue(withEvidence[0] * 10 >= TRIES, "histories with timeline examples: " + withEvidence[0] + " of " + TRIES);
    // ... and splits keys only if a history has more than one.
    assertTrue(manyKeys[0] * 4 >= TRIES, "histories with 2 keys or more: " + manyKeys[0] + " of " + TRIES);
  }
}
