package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceSchema;
import org.junit.jupiter.api.Test;

/** The governor on a fixed clock: what it judges, when it cuts, by how much, and what it never does. */
class OverheadGovernorTest {
  /** A clock the test sets: process CPU, writer CPU, monotonic time. */
  static final class FixedClock implements CpuClock {
    long process;
    long writer;
    long mono = 1_000_000_000L;

    @Override
    public long processCpuNanos() {
      return process;
    }

    @Override
    public long threadCpuNanos() {
      return writer;
    }

    @Override
    public long nanoTime() {
      return mono;
    }

    @Override
    public long wallNanos() {
      return 1_700_000_000_000_000_000L + mono;
    }
  }

  final FixedClock clock = new FixedClock();
  final CaptureStats stats = new CaptureStats();
  final KeySampler sampler = new KeySampler(64);
  /** Budget 2 %; clock readings free, so the agent's cost is the writer's CPU alone. */
  final OverheadGovernor governor = new OverheadGovernor(sampler, stats, 20, 0, 1, clock);

  /** One second: the process used {@code processMs} of CPU, the writer {@code writerMs}, over {@code events} rows. */
  SamplingChange window(long processMs, long writerMs, long events) {
    clock.process += processMs * 1_000_000;
    clock.writer += writerMs * 1_000_000;
    clock.mono += 1_000_000_000L;
    stats.rowsWritten += events;
    return governor.tick();
  }

  @Test
  void twoWindowsOverBudget_cutInProportion_withHeadroom() {
    assertNull(governor.tick(), "the first tick only takes the baseline");
    assertNull(window(1000, 40, 10_000), "one window over budget is not enough");
    SamplingChange cut = window(1000, 40, 10_000);
    assertNotNull(cut);
    // 4 % used against 2 %: keep 2/4 of the keys, less 10 % headroom.
    assertEquals(TraceSchema.SAMPLE_ALL * 20 * 9 / (10 * 40), cut.level());
    assertEquals(40, cut.measuredPermille());
    assertEquals(20, cut.budgetPermille());
    assertEquals(clock.mono, cut.monoNanos());
    assertEquals(cut.level(), sampler.level());
  }

  @Test
  void windowsUnderBudget_orBrokenRuns_neverCut() {
    governor.tick();
    for (int i = 0; i < 10; i++) {
      assertNull(window(1000, i % 2 == 0 ? 40 : 10, 10_000), "over, under, over...: never two in a row");
    }
    assertEquals(TraceSchema.SAMPLE_ALL, sampler.level());
  }

  @Test
  void idleOrNearIdleWindows_areNotJudged() {
    governor.tick();
    // The writer's idle polling dominates a quiet process: cutting keys would not reduce it.
    for (int i = 0; i < 5; i++) {
      assertNull(window(1000, 500, 999));
    }
    assertEquals(TraceSchema.SAMPLE_ALL, sampler.level());
    // Too little CPU to judge: the window is not judged, but carried into the next one.
    assertNull(window(10, 1, 100_000));
    assertNull(window(1000, 40, 10_000), "judged over both seconds: over budget, once");
    assertNotNull(window(1000, 40, 10_000), "twice");
  }

  @Test
  void levelOnlyFalls_andStopsAtTheFloor() {
    governor.tick();
    int last = sampler.level();
    for (int i = 0; i < 40; i++) {
      window(1000, 900, 10_000);
      assertTrue(sampler.level() <= last, "the level never rises");
      last = sampler.level();
    }
    assertEquals(64, sampler.level(), "the floor");
    assertNull(window(1000, 900, 10_000));
    assertNull(window(1000, 900, 10_000), "at the floor nothing more is recorded");
  }
}
