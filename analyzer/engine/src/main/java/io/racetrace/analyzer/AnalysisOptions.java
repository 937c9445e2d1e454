package io.racetrace.analyzer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run an analysis (not what to judge it against: that is {@link
 * io.racetrace.analyzer.model.Criteria}). Immutable.
 *
 * @param reorderWindow rows up to this far out of end-time order are put back in order
 * @param requestHorizon an execution whose REQUEST row has not come this long after its last row is
 *     closed as incomplete; arrivals never followed by their request are dropped after it
 * @param dedupHorizon duplicate confirmations at most this far apart are always found (see
 *     DuplicateDetector)
 * @param dedupMaxIds a dedup generation is also retired once it holds this many request ids, which
 *     bounds the memory of duplicate detection (16-32 bytes an id, two generations)
 * @param rowsCsv if set, every row is written there in merged order while reading
 * @param topKeys how many keys the hot-key tables list
 * @param sameRun the user says the queues are workers of one run: skip the checks that refuse
 *     queues of different probe files or of times that do not overlap
 * @param partitions detector sets the keys are spread over ({@code KeyPartitions}), merged before
 *     judging: 1 for a plain run; more exercises the seam of a key-partitioned (parallel,
 *     distributed) run, whose results must not differ
 * @param threads 1 (the default here; the command line's is the machine's cores): the whole analysis
 *     on the caller's thread; 2: the detectors' work on completed
 *     executions on a second ({@code ExecutionStage}); 3 or more: also each queue read and decoded
 *     on a thread of its own ({@code ReadAhead}). The result is the same; more threads than the
 *     queues plus two add nothing today.
 * @param batch rows (executions) a pipeline stage hands on at a time; small values only in tests,
 *     to cross many hand-overs in a small capture
 */
public record AnalysisOptions(Duration reorderWindow, Duration requestHorizon, Duration dedupHorizon,
    int dedupMaxIds, Path rowsCsv, int topKeys, boolean sameRun, int partitions, int threads, int batch) {

  public static final AnalysisOptions DEFAULTS = new AnalysisOptions(Duration.ofMillis(100), Duration.ofSeconds(60),
      Duration.ofMinutes(10), 2_000_000, null, 10, false, 1, 1, 2048);

  public AnalysisOptions(Duration reorderWindow, Duration requestHorizon, Duration dedupHorizon, int dedupMaxIds,
      Path rowsCsv, int topKeys) {
    this(reorderWindow, requestHorizon, dedupHorizon, dedupMaxIds, rowsCsv, topKeys, false);
  }

  public AnalysisOptions(Duration reorderWindow, Duration requestHorizon, Duration dedupHorizon, int dedupMaxIds,
      Path rowsCsv, int topKeys, boolean sameRun) {
    this(reorderWindow, requestHorizon, dedupHorizon, dedupMaxIds, rowsCsv, topKeys, sameRun, 1, 1, 2048);
  }

  public AnalysisOptions {
    if (reorderWindow.isNegative() || requestHorizon.isNegative() || requestHorizon.isZero()
        || dedupHorizon.isNegative() || dedupHorizon.isZero() || dedupMaxIds < 1000 || topKeys < 1 || partitions < 1
        || threads < 1 || batch < 1) {
      throw new IllegalArgumentException(
          "windows and horizons must be positive, dedupMaxIds >= 1000, topKeys >= 1, partitions >= 1, threads >= 1,"
              + " batch >= 1");
    }
  }

  public AnalysisOptions withRowsCsv(Path csv) {
    return new AnalysisOptions(reorderWindow, requestHorizon, dedupHorizon, dedupMaxIds, csv, topKeys, sameRun,
        partitions, threads, batch);
  }

  public AnalysisOptions withPartitions(int n) {
    return new AnalysisOptions(reorderWindow, requestHorizon, dedupHorizon, dedupMaxIds, rowsCsv, topKeys, sameRun, n,
        threads, batch);
  }

  public AnalysisOptions withThreads(int n) {
    return new AnalysisOptions(reorderWindow, requestHorizon, dedupHorizon, dedupMaxIds, rowsCsv, topKeys, sameRun,
        partitions, n, batch);
  }

  public AnalysisOptions withBatch(int n) {
    return new AnalysisOptions(reorderWindow, requestHorizon, dedupHorizon, dedupMaxIds, rowsCsv, topKeys, sameRun,
        partitions, threads, n);
  }
}
