package io.racetrace.agent.core.capture;

import io.racetrace.trace.CaptureCounters;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Loss and error counters of one capture. Updated only off the fast path (a drop, an error), so
 * plain atomics are enough; the writer thread owns {@link #rowsWritten} and the write-side drops.
 */
public final class CaptureStats {
  final AtomicLong droppedRingFull = new AtomicLong();
  /** Rows not captured because their key is not sampled; counted on every such event, hence an adder. */
  final LongAdder droppedSampled = new LongAdder();
  // The agent's own cost, measured on one event in 64 per thread (see OverheadGovernor).
  final LongAdder keptNanos = new LongAdder();
  final LongAdder keptMeasured = new LongAdder();

  final AtomicLong extractorErrors = new AtomicLong();
  final AtomicLong adviceErrors = new AtomicLong();
  volatile long rowsWritten;
  volatile long droppedDiskLow;
  volatile long droppedWriteError;

  public CaptureCounters snapshot(long inFlight) {
    long written = rowsWritten;
    long ring = droppedRingFull.get();
    long disk = droppedDiskLow;
    long werr = droppedWriteError;
    long sampled = droppedSampled.sum();
    return new CaptureCounters(written + ring + disk + werr + sampled + inFlight, written, ring, disk, werr,
        sampled, extractorErrors.get(), adviceErrors.get());
  }

  public long extractorErrors() {
    return extractorErrors.get();
  }

  public long adviceErrors() {
    return adviceErrors.get();
  }

  public long dropped() {
    return droppedRingFull.get() + droppedDiskLow + droppedWriteError + droppedSampled.sum();
  }

  /** Fills {@code s} with the cost counters as they are now; returns it. */
  CostSnapshot costSnapshot(CostSnapshot s) {
    long skipped = droppedSampled.sum();
    s.skippedEvents = skipped;
    s.keptEvents = snapshot(0).rowsOffered() - skipped;
    s.keptNanos = keptNanos.sum();
    s.keptMeasured = keptMeasured.sum();
    return s;
  }

  /** Cumulative cost counters at one instant. */
  static final class CostSnapshot {
    long keptEvents;
    long skippedEvents;
    long keptNanos;
    long keptMeasured;

    void copyFrom(CostSnapshot o) {
      keptEvents = o.keptEvents;
      skippedEvents = o.skippedEvents;
      keptNanos = o.keptNanos;
      keptMeasured = o.keptMeasured;
    }
  }
}
