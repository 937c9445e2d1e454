package io.racetrace.trace;

/**
 * Cumulative counters of one capture, written periodically while rows are being lost or errors
 * counted, and in the footer. Every row an application thread offered is either written or
 * counted in exactly one {@code dropped*} field, so {@code offered = written + dropped()}.
 */
public record CaptureCounters(
    long rowsOffered,
    long rowsWritten,
    long droppedRingFull,
    long droppedDiskLow,
    long droppedWriteError,
    long droppedSampled,
    long extractorErrors,
    long adviceErrors) {

  public static final CaptureCounters ZERO = new CaptureCounters(0, 0, 0, 0, 0, 0, 0, 0);

  public long dropped() {
    return droppedRingFull + droppedDiskLow + droppedWriteError + droppedSampled;
  }
}
