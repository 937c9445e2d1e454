package io.racetrace.analyzer.read;

import io.racetrace.analyzer.util.LongLongMap;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceFormatException;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import io.racetrace.trace.WorkerHeader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One capture queue being read: its cursor, what its metadata records said (header, threads,
 * probes, counters, footer) and the per-thread sequence check that reveals lost rows.
 *
 * <p>Ordering: {@link #next(Ev)} returns rows in queue order; the sequence check runs in that
 * order too, because a thread's rows reach the queue in the order the thread offered them.
 *
 * <p>Memory: one entry per thread (last sequence number, name); rows are not kept.
 */
public final class QueueSource implements RowSource, AutoCloseable {
  public final int index;
  public final Path dir;
  private final TraceCursor cursor;
  private final List<String> incompleteTails;

  private WorkerHeader header;
  private final List<Long> captureIds = new ArrayList<>();
  private final Map<Long, String> threadNames = new TreeMap<>();
  private final Map<Integer, ProbeStatus> probes = new LinkedHashMap<>();
  private CaptureCounters counters;
  private int counterRecords;
  private boolean footer;
  private long rows;
  private long rowsWithoutHeader;
  private long firstWall = Long.MAX_VALUE;
  private long firstRowEndWall = Long.MIN_VALUE;
  private long lastWall = Long.MIN_VALUE;
  private long wallOffset;

  private SamplingChange plannedSampling;
  private SamplingChange firstCut;
  private SamplingChange lastSampling;
  private int samplingRecords;
  private int cuts;

  private final LongLongMap lastSeq = new LongLongMap(64);
  private long seqGapRows;
  private long seqGaps;
  private long seqBackwards;

  private QueueSource(int index, Path dir, TraceCursor cursor, List<String> incompleteTails) {
    this.index = index;
    this.dir = dir;
    this.cursor = cursor;
    this.incompleteTails = incompleteTails;
  }

  /** Pre-checks the files of {@code dir}, then opens its cursor. */
  public static QueueSource open(int index, Path dir) throws TraceFormatException {
    TraceCursor cursor = TraceCursor.open(dir); // prechecks the files first
    return new QueueSource(index, dir, cursor, cursor.incompleteTails());
  }

  /**
   * Reads up to the next row and fills {@code into} with it; returns {@code false} at the end of
   * the queue. Metadata records on the way are absorbed into this source's state.
   */
  @Override
  public boolean next(Ev into) throws TraceFormatException {
    while (true) {
      TraceCursor.Record rec = cursor.next(); // a SIGBUS while reading is already a TraceFormatException
      if (rec == null) {
        return false;
      }
      switch (rec) {
        case ROW -> {
          TraceRow r = cursor.row();
          rows++;
          if (header == null) {
            rowsWithoutHeader++;
          }
          checkSequence(r.threadId, r.threadSeq);
          into.set(r, index, wallOffset, cursor.requestIdHash(), cursor.keyHash());
          firstWall = Math.min(firstWall, into.startWall);
          if (firstRowEndWall == Long.MIN_VALUE) {
            firstRowEndWall = into.endWall;
          }
          lastWall = Math.max(lastWall, into.endWall);
          return true;
        }
        case HEADER -> {
          WorkerHeader h = cursor.header();
          if (header == null) {
            header = h;
          }
          if (!captureIds.contains(h.captureId())) {
            captureIds.add(h.captureId());
          }
          wallOffset = h.wallEpochNanos() - h.monoNanos();
        }
        case ANCHOR -> wallOffset = cursor.toWallNanos(0);
        case THREAD -> threadNames.put(cursor.threadId(), cursor.threadName());
        case PROBE -> probes.put(cursor.probe().probeId(), cursor.probe());
        case COUNTERS -> {
          counters = cursor.counters();
          counterRecords++;
        }
        case FOOTER -> {
          counters = cursor.counters();
          counterRecords++;
          footer = true;
        }
        case SAMPLING -> onSampling(cursor.sampling());
        default -> { }
      }
    }
  }

  private void onSampling(SamplingChange s) {
    samplingRecords++;
    int before = lastSampling == null ? TraceSchema.SAMPLE_ALL : lastSampling.level();
    if (s.level() < before) {
      cuts++;
      if (firstCut == null) {
        firstCut = s;
      }
    }
    lastSampling = s;
  }

  private void checkSequence(long threadId, long seq) {
    long key = threadId == 0 ? Long.MIN_VALUE : threadId;
    long last = lastSeq.get(key, Long.MIN_VALUE);
    if (last != Long.MIN_VALUE) {
      if (seq > last + 1) {
        seqGaps++;
        seqGapRows += seq - last - 1;
      } else if (seq <= last) {
        seqBackwards++;
        return; // keep the highest number seen
      }
    }
    lastSeq.put(key, seq);
  }

  /** Wall time of the earliest row start read so far, or {@code Long.MAX_VALUE} before any row. */
  public long firstWall() {
    return firstWall;
  }

  /** The end time of the first row read from this queue, fixed once read; {@code Long.MIN_VALUE} before. */
  public long firstRowEndWall() {
    return firstRowEndWall;
  }

  /** Wall time of the latest row end read so far, or {@code Long.MIN_VALUE} before any row. */
  public long lastWall() {
    return lastWall;
  }

  public WorkerHeader header() {
    return header;
  }

  public String workerId() {
    return header != null ? header.workerId() : dir.getFileName().toString();
  }

  public List<Long> captureIds() {
    return captureIds;
  }

  public Map<Long, String> threadNames() {
    return threadNames;
  }

  public List<ProbeStatus> probes() {
    return new ArrayList<>(probes.values());
  }

  public CaptureCounters counters() {
    return counters;
  }

  public int counterRecords() {
    return counterRecords;
  }

  public boolean sawFooter() {
    return footer;
  }

  public long rows() {
    return rows;
  }

  public long rowsWithoutHeader() {
    return rowsWithoutHeader;
  }

  /** Rows missing according to gaps in per-thread sequence numbers. */
  public long seqGapRows() {
    return seqGapRows;
  }

  public long seqGaps() {
    return seqGaps;
  }

  /** Rows whose sequence number was not above the thread's previous one (duplicates or reorder). */
  public long seqBackwards() {
    return seqBackwards;
  }

  public int threadsSeen() {
    return lastSeq.size();
  }

  /**
   * Reads the queue's last sampling change ahead of its rows ({@link TraceCursor#lastSampling}), so
   * that the analysis knows which keys have a complete history before it streams them; {@code null}
   * if the agent never sampled. Remembered as {@link #plannedSampling()}.
   */
  public SamplingChange readLastSampling() throws TraceFormatException {
    TraceCursor.Prescan p = TraceCursor.prescan(dir);
    plannedSampling = p.lastSampling();
    plannedRoles = p.probeRoles();
    plannedRows = p.rows();
    return plannedSampling;
  }

  /** The roles of the queue's probe records, found by {@link #readLastSampling()} before the rows were read. */
  public java.util.Set<String> plannedRoles() {
    return plannedRoles;
  }

  /** The last sampling change found by {@link #readLastSampling()} before the rows were read. */
  private java.util.Set<String> plannedRoles = java.util.Set.of();
  private long plannedRows = -1;

  /** The rows the queue's row records hold, counted by {@link #readLastSampling()}; -1 before it. */
  public long plannedRows() {
    return plannedRows;
  }

  public SamplingChange plannedSampling() {
    return plannedSampling;
  }

  /** The first sampling record that lowered the level, or {@code null} if the level never fell. */
  public SamplingChange firstCut() {
    return firstCut;
  }

  /** The last sampling record read while streaming, or {@code null}. */
  public SamplingChange lastSampling() {
    return lastSampling;
  }

  public int samplingRecords() {
    return samplingRecords;
  }

  /** Sampling records that lowered the level. */
  public int cuts() {
    return cuts;
  }

  public List<String> incompleteTails() {
    return incompleteTails;
  }

  public long documentsRead() {
    return cursor.documentsRead();
  }

  /** The calling thread takes over the reading ({@link TraceCursor#handOver}); see {@link ReadAhead}. */
  void handOver() {
    cursor.handOver();
  }

  @Override
  public void close() {
    cursor.close();
  }
}
