package io.racetrace.bench.analyzer;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.AnalysisOptions;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.report.ReportWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The throughput benchmark: analyzes a capture from queue to report (reading, merging, every
 * detector, report.md/html/json, and rows.csv unless disabled) and prints rows per second of wall
 * time and of the analyzing thread's CPU time, peak heap (the heap pools' peak usage) and peak RSS
 * ({@code VmHWM}) and the largest heap still in use right after a garbage collection (the live
 * set: what "memory flat as rows grow" is about). Run it in a fresh JVM per measurement, e.g. with {@code -Xmx512m}; see
 * BENCHMARKS.md.
 */
@Command(name = "analyzer-throughput", mixinStandardHelpOptions = true)
public final class ThroughputMain implements Callable<Integer> {
  @Option(names = "--capture", required = true) Path capture;

  @Option(names = "--out", required = true) Path out;

  @Option(names = "--rows-csv", description = "Also write rows.csv (default: no).") boolean rowsCsv;

  @Option(names = "--runs", defaultValue = "1", description = "Runs in this JVM; the last one is reported.") int runs;

  @Option(names = "--threads", defaultValue = "1",
      description = "The analysis's threads (AnalysisOptions.threads); 2 or more read ahead.") int threadCount;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ThroughputMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    AnalysisOptions o = rowsCsv ? AnalysisOptions.DEFAULTS.withRowsCsv(out.resolve(ReportWriter.CSV))
        : AnalysisOptions.DEFAULTS;
    o = o.withThreads(threadCount);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = ManagementFactory.getThreadMXBean();
    LiveHeap live = LiveHeap.start();
    for (int run = 1; run <= runs; run++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long proc0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      AnalysisResult r = Analysis.run(List.of(capture), Criteria.DEFAULTS, o);
      ReportWriter.writeAll(r, out);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double proc = (os.getProcessCpuTime() - proc0) / 1e9;
      long rows = r.input().rows();
      System.out.printf(Locale.ROOT, "run %d: %,d rows in %.2f s wall (%.2f M rows/s), %.2f s CPU of the analyzing"
          + " thread (%.2f M rows/s/core), %.2f s CPU of the process (%d threads); peak heap used %.0f MB, peak live heap after GC %.0f MB (%d GCs), peak RSS"
          + " %s; lost updates %,d, decision %s%n", run, rows,
          wall, rows / wall / 1e6, cpu, rows / cpu / 1e6, proc, threadCount, peakHeap() / 1e6, live.peak() / 1e6, live.gcs(), peakRss(),
          r.detectors().lostUpdates().lostUpdates(), r.release().decision());
    }
    return 0;
  }

  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "n/a";
  }
}
