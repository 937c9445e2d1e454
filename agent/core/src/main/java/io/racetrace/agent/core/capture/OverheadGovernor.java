package io.racetrace.agent.core.capture;

import io.racetrace.agent.core.AgentLog;
import io.racetrace.agent.core.Clocks;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceSchema;

/**
 * Keeps the agent within its overhead budget: once a second, on the writer thread, it estimates
 * the agent's share of the process's CPU time and, when that share stays over budget for two
 * consecutive windows, lowers the {@link KeySampler}'s level in proportion.
 *
 * <p>The agent's cost is the writer thread's own CPU time plus the time application threads
 * spend in the agent: every 64th event of each thread measures its in-agent time (one extra clock
 * reading), and each event is charged the mean of those measurements plus the clock readings that
 * the measurement cannot see. The process's CPU time comes from the JVM's operating-system bean.
 *
 * <p>Not thread-safe: only the writer thread calls {@link #tick}.
 */
final class OverheadGovernor {
  private static final long MIN_WINDOW_CPU_NANOS = 20_000_000; // ignore near-idle windows
  private static final int WINDOWS_OVER_BEFORE_CUT = 2;
  /**
   * Fewer captured events than this in a window and the window is not judged: the agent's cost is
   * then its writer thread's idle polling (and, at JVM start, class loading), which capturing
   * fewer keys would not reduce.
   */
  private static final long MIN_WINDOW_EVENTS = 1_000;

  private final KeySampler sampler;
  private final CaptureStats stats;
  private final int budgetPermille;
  private final long clockNanos;
  private final int clockReadsPerEvent;
  private final CpuClock clock;
  private long lastProcessCpu = -1;
  private long lastWriterCpu;
  private final CaptureStats.CostSnapshot lastCost = new CaptureStats.CostSnapshot();
  private int windowsOver;

  /** Returns a governor, or null (with a warning) if this JVM cannot report CPU time. */
  static OverheadGovernor create(KeySampler sampler, CaptureStats stats, int budgetPermille, boolean callEntryTime) {
    CpuClock clock = CpuClock.system();
    if (clock == null) {
      AgentLog.warn("budget: this JVM does not report process or thread CPU time; capturing every key");
      return null;
    }
    return new OverheadGovernor(sampler, stats, budgetPermille, Clocks.nanoTimeCost(), callEntryTime ? 2 : 1, clock);
  }

  OverheadGovernor(KeySampler sampler, CaptureStats stats, int budgetPermille, long clockNanos,
      int clockReadsPerEvent, CpuClock clock) {
    this.sampler = sampler;
    this.stats = stats;
    this.budgetPermille = budgetPermille;
    this.clockNanos = clockNanos;
    this.clockReadsPerEvent = clockReadsPerEvent;
    this.clock = clock;
  }

  /** The record that opens a capture with a budget: every key, nothing measured yet. */
  SamplingChange initial() {
    return new SamplingChange(clock.wallNanos(), clock.nanoTime(), sampler.level(), budgetPermille, 0);
  }

  /**
   * Measures the last window; returns the sampling change to record, or null if the level stays.
   * Called on the writer thread.
   */
  SamplingChange tick() {
    long processCpu = clock.processCpuNanos();
    long writerCpu = clock.threadCpuNanos();
    if (lastProcessCpu < 0) {
      lastProcessCpu = processCpu;
      lastWriterCpu = writerCpu;
      stats.costSnapshot(lastCost);
      return null;
    }
    long cpu = processCpu - lastProcessCpu;
    if (cpu < MIN_WINDOW_CPU_NANOS) {
      return null; // too little work to judge; keep accumulating
    }
    CaptureStats.CostSnapshot now = stats.costSnapshot(new CaptureStats.CostSnapshot());
    long lastWriterCpuBefore = lastWriterCpu;
    long agent = (writerCpu - lastWriterCpu) + appThreadNanos(lastCost, now);
    long events = now.keptEvents - lastCost.keptEvents;
    lastProcessCpu = processCpu;
    lastWriterCpu = writerCpu;
    lastCost.copyFrom(now);
    if (events < MIN_WINDOW_EVENTS) {
      windowsOver = 0;
      return null;
    }
    int share = (int) Math.min(1000, agent * 1000 / cpu);
    AgentLog.debug("budget: window cpu " + cpu / 1_000_000 + " ms, agent " + agent / 1_000_000 + " ms (writer "
        + (writerCpu - lastWriterCpuBefore) / 1_000_000 + " ms), share " + share / 10.0 + " %, level " + sampler.level());
    windowsOver = share > budgetPermille ? windowsOver + 1 : 0;
    if (windowsOver < WINDOWS_OVER_BEFORE_CUT) {
      return null;
    }
    windowsOver = 0;
    int level = sampler.level();
    // Scale the captured key space by budget/share, with 10 % headroom: the cost is roughly
    // proportional to the rows captured.
    long target = (long) level * budgetPermille * 9 / (10L * Math.max(1, share));
    if (!sampler.lower((int) Math.min(level, target))) {
      return null;
    }
    AgentLog.warn(String.format(java.util.Locale.ROOT,
        "budget: the agent used %.1f %% of the process's CPU time (budget %.1f %%): capturing %.1f %% of the keys"
            + " from now on (whole keys; see the capture's sampling records)",
        share / 10.0, budgetPermille / 10.0, 100.0 * sampler.level() / TraceSchema.SAMPLE_ALL));
    return new SamplingChange(clock.wallNanos(), clock.nanoTime(), sampler.level(), budgetPermille, share);
  }

  private long appThreadNanos(CaptureStats.CostSnapshot a, CaptureStats.CostSnapshot b) {
    long kept = b.keptEvents - a.keptEvents;
    long skipped = b.skippedEvents - a.skippedEvents;
    long keptMeasured = b.keptMeasured - a.keptMeasured;
    double keptMean = keptMeasured == 0 ? 0 : (double) (b.keptNanos - a.keptNanos) / keptMeasured;
    // An event of a key not captured costs a thread-local lookup and a counter increment: charged
    // as one clock reading, which is of the same order, rather than spending clock readings on it.
    return (long) (kept * (keptMean + clockNanos * clockReadsPerEvent) + skipped * clockNanos);
  }
}
