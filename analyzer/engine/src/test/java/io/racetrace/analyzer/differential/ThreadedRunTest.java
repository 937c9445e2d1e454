package io.racetrace.analyzer.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.AnalysisOptions;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/**
 * The pipelined run (the detectors' work on executions on a second thread, each queue read ahead
 * on a third): on the differential test's generated histories, with hand-overs of 1 and 64
 * rows so that a small history crosses many of them, the result is the one-thread run's, every
 * section of it (input, completeness, evidence, timeline, release table), and the simulated
 * store's own figures. {@link #equalExceptTime} compares every component but the time it was made.
 */
public class ThreadedRunTest {
  static final int TRIES = Integer.getInteger("racetrace.threads.tries", 150);

  @Test
  void pipelinedRuns_giveTheOneThreadResult_andTheStoresFigures() throws Exception {
    int[] multiQueue = {0};
    int[] executions = {0};
    int[][] settings = {{2, 1}, {3, 1}, {4, 64}};
    // PartitionMergeTest's histories
    DifferentialTest.eachHistory(DifferentialTest.SEED + 7_000_000, TRIES, (seed, h, run, queues) -> {
      AnalysisResult one = Analysis.run(queues, Criteria.DEFAULTS);
      for (int[] s : settings) {
        AnalysisOptions o = AnalysisOptions.DEFAULTS.withThreads(s[0]).withBatch(s[1]);
        AnalysisResult t = Analysis.run(queues, Criteria.DEFAULTS, o);
        String where = "seed " + seed + ", " + s[0] + " threads, batch " + s[1];
        assertEquals(run.truth(), DifferentialTest.figures(t), where + ": against the store\n" + h);
        equalExceptTime(one, t, where);
      }
      if (queues.size() > 1) {
        multiQueue[0]++;
      }
      if (one.summary().requests() > 3) {
        executions[0]++;
      }
    });
    // The read-ahead merges several queues only if histories have several; batches of 1 cross
    // hand-overs only if histories have more requests than that.
    assertTrue(multiQueue[0] * 4 >= TRIES, "histories with 2 queues or more: " + multiQueue[0] + " of " + TRIES);
    assertTrue(executions[0] * 2 >= TRIES, "histories with more than 3 requests: " + executions[0] + " of " + TRIES);
  }

  public static void equalExceptTime(AnalysisResult a, AnalysisResult b, String where) throws Exception {
    for (RecordComponent c : AnalysisResult.class.getRecordComponents()) {
      if (!c.getName().equals("generatedAt")) {
        assertEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b), where + ": " + c.getName());
      }
    }
  }
}
