package io.racetrace.analyzer;

import io.racetrace.analyzer.correlate.Correlator;
import io.racetrace.analyzer.detect.DetectorSet;
import io.racetrace.analyzer.detect.ExecutionStage;
import io.racetrace.analyzer.detect.KeyPartitions;
import io.racetrace.analyzer.detect.HotKeys;
import io.racetrace.analyzer.detect.InvariantCheck;
import io.racetrace.analyzer.judge.Advice;
import io.racetrace.analyzer.judge.CompletenessJudge;
import io.racetrace.analyzer.judge.Diagnosis;
import io.racetrace.analyzer.judge.KeySampling;
import io.racetrace.analyzer.judge.ReleaseGate;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.model.Results.Completeness;
import io.racetrace.analyzer.model.Results.Detectors;
import io.racetrace.analyzer.model.Results.LatencyResult;
import io.racetrace.analyzer.model.Results.Summary;
import io.racetrace.analyzer.model.Results.Timeline;
import io.racetrace.analyzer.read.CaptureSet;
import io.racetrace.analyzer.read.MergedReader;
import io.racetrace.analyzer.read.Progress;
import io.racetrace.analyzer.read.QueueDirs;
import io.racetrace.analyzer.read.QueueSource;
import io.racetrace.analyzer.read.ReadAhead;
import io.racetrace.analyzer.read.RowSource;
import io.racetrace.analyzer.read.SamplingFilter;
import io.racetrace.analyzer.report.Examples;
import io.racetrace.analyzer.report.RowsCsv;
import io.racetrace.analyzer.report.Steps;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one analysis: reads the queues once, in merged time order, through the detectors, and
 * judges the result against the criteria. The in-process entry point:
 *
 * <pre>{@code
 * AnalysisResult r = Analysis.run(List.of(queueDir), Criteria.DEFAULTS);
 * ReportWriter.writeAll(r, outDir);
 * }</pre>
 *
 * <p>Key sampling: when the agent sampled keys (schema version 2), only the keys it captured to the
 * end are analyzed; rows of the others are dropped by a {@link SamplingFilter} in front of every
 * detector and of rows.csv, and the report says so ({@link KeySampling}).
 *
 * <p>Pipeline: read ({@link MergedReader}) → correlate ({@link Correlator}: executions and
 * windows) → detect ({@link DetectorSet}: one detector per anomaly, each with its own state, result
 * and merge) → judge ({@code judge/}) → report ({@code report/}). With two threads the detectors'
 * work on completed executions runs on the second ({@link ExecutionStage}); with three or more,
 * each queue is also read and decoded ahead on a thread of its own ({@link ReadAhead}). The
 * stages hand rows and executions on in order, so the result does not depend on the threads.
 *
 * <p>Memory: it grows with open requests, keys and the dedup horizon, not with the number of rows. Failure handling: bad input is a {@link TraceFormatException} whose one-line
 * message names the queue file and the problem.
 */
public final class Analysis {
  private Analysis() {}

  public static AnalysisResult run(List<Path> queues, Criteria criteria) throws TraceFormatException {
    return run(queues, criteria, AnalysisOptions.DEFAULTS);
  }

  public static AnalysisResult run(List<Path> queues, Criteria criteria, AnalysisOptions o)
      throws TraceFormatException {
    return run(queues, criteria, o, Progress.NONE);
  }

  /** As above, telling {@code progress} how many rows were read, every 2^18 rows and at the end. */
  public static AnalysisResult run(List<Path> queues, Criteria criteria, AnalysisOptions o, Progress progress)
      throws TraceFormatException {
    List<Path> dirs = QueueDirs.expand(queues);
    CaptureSet.check(dirs, o.sameRun());
    List<QueueSource> sources = new ArrayList<>();
    List<ReadAhead> readers = new ArrayList<>();
    ExecutionStage stage = null;
    RowsCsv csv = null;
    try {
      for (Path d : dirs) {
        sources.add(QueueSource.open(sources.size(), d));
      }
      // Key sampling (schema version 2): which keys were captured to the end is known only from the
      // queues' last sampling records, so read those before the rows.
      List<SamplingChange> lastSampling = new ArrayList<>();
      for (QueueSource s : sources) {
        lastSampling.add(s.readLastSampling());
      }
      int level = SamplingFilter.effectiveLevel(lastSampling);
      if (o.rowsCsv() != null) {
        csv = new RowsCsv(o.rowsCsv(), sources);
      }
      List<DetectorSet> parts = new ArrayList<>();
      for (int i = 0; i < o.partitions(); i++) {
        parts.add(detectors(criteria, o, sources));
      }
      KeyPartitions partitioned = parts.size() > 1 ? new KeyPartitions(parts) : null;
      if (partitioned == null && o.threads() >= 2) {
        stage = new ExecutionStage(parts.get(0), detectors(criteria, o, sources), o.batch());
      }
      // Transaction probes decide how writes are read (held until their commit), so they are known
      // before the rows: from the pre-scan of each queue's probe records.
      boolean transactions = sources.stream().anyMatch(s -> s.plannedRoles().contains("commit")
          || s.plannedRoles().contains("rollback"));
      Correlator correlator = new Correlator(sources.size(), o.requestHorizon().toNanos(), transactions,
          partitioned != null ? partitioned : stage != null ? stage : parts.get(0), csv);
      if (o.threads() >= 3) {
        for (QueueSource s : sources) {
          readers.add(new ReadAhead(s, o.batch()));
        }
      }
      List<? extends RowSource> rows = readers.isEmpty() ? sources : List.copyOf(readers);
      MergedReader reader = new MergedReader(rows, o.reorderWindow().toNanos());
      SamplingFilter filter = new SamplingFilter(level, correlator);
      long total = sources.stream().mapToLong(QueueSource::plannedRows).sum();
      Progress.Counter counter = new Progress.Counter(filter, progress, total, 1 << 18);
      reader.run(counter);
      closeAll(readers); // the sources' state is final and this thread's again
      counter.done();
      correlator.finish();
      DetectorSet detectors = partitioned != null ? partitioned.merged()
          : stage != null ? stage.finish() : parts.get(0);
      CaptureSet.checkOverlap(sources, o.sameRun(), o.requestHorizon().toNanos());
      return assemble(sources, correlator.stats(), detectors, reader, filter, criteria, o);
    } catch (IOException e) {
      throw new TraceFormatException(o.rowsCsv(), "cannot write: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new TraceFormatException(o.rowsCsv(), "cannot write: " + e.getCause().getMessage());
    } finally {
      closeAll(readers);
      if (stage != null) {
        stage.close();
      }
      if (csv != null) {
        try {
          csv.close();
        } catch (IOException e) {
          // reported by the write that failed, if any
        }
      }
      for (QueueSource s : sources) {
        s.close();
      }
    }
  }

  private static void closeAll(List<ReadAhead> readers) {
    for (ReadAhead r : readers) {
      r.close();
    }
    readers.clear();
  }

  /**
   * The detectors an analysis with these criteria and options runs. A warm-up starts at each queue's
   * first row (its end time, fixed once read): the first traffic after the agent began capturing in
   * that JVM, whenever each worker was attached.
   */
  static DetectorSet detectors(Criteria criteria, AnalysisOptions o, List<QueueSource> sources) {
    return new DetectorSet(o.dedupHorizon().toNanos(), o.dedupMaxIds(), criteria.maxAttempts(),
        Math.round(criteria.maxQueueDelayMs().bound() * 1e6), criteria.expectedIntervalMs(),
        criteria.warmupNanos(), src -> sources.get(src).firstRowEndWall());
  }

  static AnalysisResult assemble(List<QueueSource> sources, Correlator.Stats en, DetectorSet ds, MergedReader reader,
      SamplingFilter filter, Criteria c, AnalysisOptions o) {
    boolean any = en.rows > 0;
    long t0 = any ? en.minStartWall : 0;
    var keys = ds.keys.list();
    List<String> workers = sources.stream().map(QueueSource::workerId).toList();
    Steps steps = new Steps(t0, workers);
    double duration = any ? Math.max(0, ((double) en.maxEndWall - en.minStartWall) / 1e9) : 0;
    Timeline tl = new Timeline(ds.buckets.width() / 1e6, ds.buckets.start(), ds.buckets.rows(t0));
    long peak = 0;
    for (Results.Bucket b : tl.buckets()) {
      peak = Math.max(peak, b.requests());
    }
    var tr = ds.traffic;
    Summary summary = new Summary(en.rows, en.arrivals, tr.requests, tr.confirmations, tr.rejected,
        tr.conflictResponses, tr.errors5xx, en.reads, en.writes, keys.size(), duration,
        duration > 0 ? tr.requests / duration : null,
        tr.requests > 0 && tl.bucketMs() > 0 ? peak / (tl.bucketMs() / 1e3) : null);
    Detectors det = new Detectors(
        ds.lost.result(Examples.lostUpdates(ds.lost.evidence(), steps), en.writesAfterTheirRequest),
        InvariantCheck.over(keys, o.topKeys()),
        ds.duplicates.result(Examples.duplicates(ds.duplicates.evidence(), steps)),
        ds.retries.result(ds.buckets, t0, ds.duplicates.clientRetries(),
            Examples.retriesOverLimit(ds.retries.evidence(), ds.retries.attemptLimit(), steps)),
        ds.queue.result(ds.buckets, t0, en.arrivalsWithoutRequest, ds.warmupEnd()),
        ds.storage.result(),
        HotKeys.rank(keys, o.topKeys()));
    LatencyResult lat = ds.latency.result(c.warmupSeconds() == null ? 0 : c.warmupSeconds(), ds.queue.warmupMaxMs());
    Completeness comp = CompletenessJudge.judge(sources, en.executionsWithoutRequestRow, en.implausibleTimes,
        filter.level());
    Results.Sampling sampling = KeySampling.describe(sources, filter.level(), keys.size(), filter.keysExcluded(),
        filter.rowsExcluded());
    Results.Release release = ReleaseGate.judge(c, comp, sampling, summary, det, lat, probedRoles(sources));
    Results.RootCause rc = Diagnosis.diagnose(c, summary, det, lat);
    List<Results.Mitigation> mit = Advice.mitigations(c, summary, det, rc);
    List<Results.Trigger> triggers = Advice.triggers(c, summary, det, lat, tl);
    Results.InputInfo input = new Results.InputInfo(sources.stream().map(Analysis::queueInfo).toList(),
        en.rows + filter.rowsExcluded(),
        any ? en.minStartWall : null, any ? en.maxEndWall : null, duration, reader.lateRows(),
        o.reorderWindow().toNanos() / 1e6, o.dedupHorizon().toNanos() / 1e9, o.requestHorizon().toNanos() / 1e9,
        en.openExecutionsAtEnd, en.executionsWithoutRequestRow, en.implausibleTimes,
        new Results.Transactions(en.transactionsProbed, en.commits, en.rollbacks, en.writesCommitted,
            en.writesRolledBack, en.writesWithoutBoundary, en.writesNeverEnded, en.commitsSeenBeforeTheirRow,
            en.commitsAfterAnOpenTransaction, en.rollbacksAfterSeenCommit));
    var top = det.hotKeys().byTraffic();
    Long initial = null;
    for (var k : keys) {
      var inv = k.invariant();
      if (inv != null && inv.basis().equals("value")) {
        initial = (initial == null ? 0 : initial) + inv.initial();
      }
    }
    Results.Workload workload = new Results.Workload(tr.requests, keys.size(), duration,
        summary.requestsPerSecond(), summary.peakRequestsPerSecond(),
        top.isEmpty() ? null : top.get(0).trafficShare(), top.isEmpty() ? null : top.get(0).key(),
        det.lostUpdates().windowOverlapRate(), initial,
        sources.stream().map(s -> s.header() == null ? "" : s.header().probeSource()).distinct().toList());
    return new AnalysisResult(AnalysisResult.SCHEMA_VERSION, toolName(), Instant.now().toString(), input, comp,
        sampling, summary, release, rc, mit, triggers, det, lat, tl, workload);
  }

  /** The probe roles of every queue's probe file (from the pre-scan); null if some queue carries no probe records (older captures). */
  static java.util.Set<String> probedRoles(List<QueueSource> sources) {
    java.util.Set<String> roles = new java.util.TreeSet<>();
    for (QueueSource s : sources) {
      if (s.plannedRoles().isEmpty()) {
        return null;
      }
      roles.addAll(s.plannedRoles());
    }
    return roles;
  }

  static Results.QueueInfo queueInfo(QueueSource s) {
    var h = s.header();
    CaptureCounters c = s.counters();
    return new Results.QueueInfo(s.dir.toString(), s.workerId(), h == null ? null : h.host(),
        h == null ? null : h.pid(), s.captureIds().stream().map(Long::toHexString).toList(),
        h == null ? null : h.agentVersion(), h == null ? null : h.jvm(), h == null ? null : h.probeSource(),
        h == null ? null : h.options(), s.rows(), s.documentsRead(), s.sawFooter(),
        c == null ? null : new Results.CountersInfo(c.rowsOffered(), c.rowsWritten(), c.dropped(), c.droppedRingFull(),
            c.droppedDiskLow(), c.droppedWriteError(), c.droppedSampled(), c.extractorErrors(), c.adviceErrors()),
        s.seqGapRows(), s.seqBackwards(), s.threadsSeen(),
        s.probes().stream().map(p -> new Results.ProbeInfo(p.probeId(), p.name(), p.role(), p.target(),
            p.matchedMethods())).toList(),
        s.incompleteTails());
  }

  static String toolName() {
    String v = Analysis.class.getPackage().getImplementationVersion();
    return "racetrace-analyzer " + (v == null ? "dev" : v);
  }
}
