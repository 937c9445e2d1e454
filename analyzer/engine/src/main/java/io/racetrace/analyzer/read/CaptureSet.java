package io.racetrace.analyzer.read;

import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceFormatException;
import io.racetrace.trace.WorkerHeader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Refuses inputs that would mislead when read together. Every queue must open with a capture
 * header (a queue of random bytes, or of another program, has none and would otherwise read as
 * an empty but "complete" capture). Queues merged on one timeline must be workers of one run:
 * the same capture twice would double every count; queues of different probe files, or whose
 * rows do not overlap in time, are separate runs whose request ids and keys would be merged into
 * invented duplicates and races. The user can say otherwise ({@code --same-run}) for the last two.
 */
public final class CaptureSet {
  private CaptureSet() {}

  /** Before reading rows: each queue has a header; no capture twice; one probe file unless {@code sameRun}. */
  public static List<WorkerHeader> check(List<Path> dirs, boolean sameRun) throws TraceFormatException {
    List<WorkerHeader> headers = new ArrayList<>();
    for (int i = 0; i < dirs.size(); i++) {
      Path d = dirs.get(i);
      WorkerHeader h = TraceCursor.firstHeader(d);
      if (h == null) {
        throw new TraceFormatException(d, "holds no racetrace capture header: it is not a capture of the racetrace"
            + " agent, or its data does not decode");
      }
      for (int j = 0; j < headers.size(); j++) {
        WorkerHeader o = headers.get(j);
        if (o.captureId() == h.captureId() && o.workerId().equals(h.workerId()) && o.pid() == h.pid()) {
          throw new TraceFormatException(d, "is the same capture as " + dirs.get(j) + " (worker " + h.workerId()
              + ", capture id " + Long.toHexString(h.captureId()) + "): give each queue once");
        }
        if (!sameRun && !probeContent(o.probeSource()).equals(probeContent(h.probeSource()))) {
          throw new TraceFormatException(d, "was captured with probe file " + h.probeSource() + " but " + dirs.get(j)
              + " with " + o.probeSource() + ": these are not workers of one run; analyze them apart, or pass"
              + " --same-run if they are");
        }
      }
      headers.add(h);
    }
    return headers;
  }

  /**
   * After reading rows: the queues' row times must form one span, as workers of one run do. A
   * queue whose first row comes more than {@code maxGapNanos} (the request horizon) after every
   * queue before it has ended is another run; a shorter gap is a quiet moment of one run.
   */
  public static void checkOverlap(List<QueueSource> sources, boolean sameRun, long maxGapNanos)
      throws TraceFormatException {
    if (sameRun || sources.size() < 2) {
      return;
    }
    List<QueueSource> withRows = new ArrayList<>(sources.stream().filter(s -> s.lastWall() != Long.MIN_VALUE).toList());
    withRows.sort(Comparator.comparingLong(QueueSource::firstWall));
    long end = Long.MIN_VALUE;
    QueueSource last = null;
    for (QueueSource s : withRows) {
      if (last != null && s.firstWall() - end > maxGapNanos) {
        throw new TraceFormatException(s.dir, "starts " + (s.firstWall() - end) / 1_000_000_000 + " s after the last row"
            + " of " + last.dir + " and every queue before it: these are not workers of one run; analyze them apart,"
            + " or pass --same-run if they are");
      }
      if (s.lastWall() > end) {
        end = s.lastWall();
        last = s;
      }
    }
  }

  /** The probe file's content hash ("name sha256:..." gives "sha256:..."): the same file under another name is the same probes. */
  static String probeContent(String source) {
    int i = source.lastIndexOf(" sha256:");
    return i < 0 ? source : source.substring(i + 1);
  }
}
