package io.racetrace.agent.core.capture;

import io.racetrace.trace.CaptureCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loss and error counters of one capture. Updated only off the fast path (a drop, an error), so
 * plain atomics are enough; the writer thread owns {@link #rowsWritten} and the write-side drops.
 */
public final class CaptureStats {
  final AtomicLong droppedRingFull = new AtomicLong();
  final AtomicLong droppedSampled = new AtomicLong();
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
    long sampled = droppedSampled.get();
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
    return droppedRingFull.get() + droppedDiskLow + droppedWriteError + droppedSampled.get();
  }
}
