package io.racetrace.trace;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads one capture queue, record by record, in the order the agent wrote them. Pull-based so
 * that several queues can be merged by their callers.
 *
 * <p>Each queue document is copied into a private {@code byte[]} before it is decoded, so the
 * queue's document lock is never held between calls and a batch of rows can be handed out one at a
 * time. Rows are decoded by {@link RowDecoder} straight from that array into one reused {@link
 * TraceRow}: copy what you keep. {@link #requestIdHash()} and {@link #keyHash()} give 64-bit
 * hashes of the row's request id and key, computed while decoding.
 *
 * <p>Concurrency: not thread-safe; one cursor per thread. Failure handling: every problem with
 * the data becomes a {@link TraceFormatException} whose message names the queue and the record.
 */
public final class TraceCursor implements AutoCloseable {
  /** Kinds of record a cursor returns. */
  public enum Record { HEADER, ANCHOR, THREAD, PROBE, ROW, COUNTERS, FOOTER, SAMPLING }

  private final Path dir;
  private final ChronicleQueue queue;
  private final ExcerptTailer tailer;
  private final RowDecoder rowDecoder = new RowDecoder();
  private byte[] doc = new byte[64 * 1024];
  private int docLength;
  private final TraceRow row = new TraceRow();

  private int rowsLeftInRecord;
  private long documentIndex;
  private long documents;
  private long rows;
  private WorkerHeader header;
  private long anchorWall;
  private long anchorMono;
  private long threadId;
  private String threadName;
  private ProbeStatus probe;
  private CaptureCounters counters;
  private SamplingChange sampling;
  private boolean sawFooter;
  private java.util.List<String> incompleteTails = java.util.List.of();

  private TraceCursor(Path dir, ChronicleQueue queue) {
    this.dir = dir;
    this.queue = queue;
    this.tailer = queue.createTailer();
  }

  /**
   * Opens the queue in {@code dir} read-only, after {@link QueuePrecheck} walked its files with
   * plain reads: Chronicle maps them, and a truncated file would otherwise crash the reader.
   */
  public static TraceCursor open(Path dir) throws TraceFormatException {
    QueuePrecheck.Result pre = QueuePrecheck.check(dir);
    ChronicleSettings.apply();
    try {
      ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir.toFile())
          .rollCycle(RollCycles.FAST_DAILY)
          .readOnly(true)
          .build();
      TraceCursor c = new TraceCursor(dir, q);
      c.incompleteTails = pre.incompleteTails();
      return c;
    } catch (RuntimeException e) {
      throw new TraceFormatException(dir, "cannot open queue: " + oneLine(e));
    }
  }

  public Path dir() {
    return dir;
  }

  /** Advances to the next record, or returns {@code null} at the end of the queue. */
  public Record next() throws TraceFormatException {
    if (rowsLeftInRecord > 0) {
      return nextRowOfRecord();
    }
    while (true) {
      if (!loadDocument()) {
        return null;
      }
      Record r = decodeRecord();
      if (r != null) {
        return r;
      }
    }
  }

  private boolean loadDocument() throws TraceFormatException {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return false;
      }
      documentIndex = dc.index();
      docLength = 0;
      if (dc.isMetaData()) {
        return true;
      }
      Bytes<?> in = dc.wire().bytes();
      long n = in.readRemaining();
      if (n > Integer.MAX_VALUE - 16) {
        throw error("record of " + n + " bytes is too large");
      }
      if (n + 8 > doc.length) { // 8 spare bytes: RowDecoder reads strings eight bytes at a time
        doc = new byte[(int) Math.max(n + 8, Math.min(Integer.MAX_VALUE - 16, 2L * doc.length))];
      }
      in.read(doc, 0, (int) n);
      docLength = (int) n;
      documents++;
      return true;
    } catch (RuntimeException e) {
      throw error("unreadable queue data: " + oneLine(e));
    } catch (InternalError e) {
      // SIGBUS from a mapped file that shrank under us after the precheck (see QueuePrecheck).
      throw error("queue file became unreadable while reading (truncated or changed by another process?): " + oneLine(e));
    }
  }

  private Record decodeRecord() throws TraceFormatException {
    if (docLength == 0) {
      return null; // metadata or empty document
    }
    if (docLength < 2) {
      throw error("record truncated");
    }
    int type = doc[0] & 0xff;
    int version = doc[1] & 0xff;
    if (version > TraceSchema.VERSION || version < TraceSchema.MIN_READABLE_VERSION) {
      throw error("schema version " + version + " is not supported by this reader (reads "
          + TraceSchema.MIN_READABLE_VERSION + ".." + TraceSchema.VERSION + ")");
    }
    if (type == TraceSchema.REC_ROWS) {
      if (docLength < 4) {
        throw error("record truncated");
      }
      rowsLeftInRecord = RowDecoder.unsignedShortAt(doc, 2);
      if (rowsLeftInRecord == 0) {
        throw error("empty row record");
      }
      rowDecoder.reset(doc, 4, docLength, version);
      return nextRowOfRecord();
    }
    // Other records are rare: decode them with the codec through a Bytes view of the array.
    Bytes<byte[]> buf = Bytes.wrapForRead(doc);
    buf.readPositionRemaining(2, docLength - 2);
    try {
      switch (type) {
        case TraceSchema.REC_HEADER:
          header = RowCodec.readHeader(buf, version);
          anchorWall = header.wallEpochNanos();
          anchorMono = header.monoNanos();
          return Record.HEADER;
        case TraceSchema.REC_ANCHOR:
          anchorWall = buf.readLong();
          anchorMono = buf.readLong();
          return Record.ANCHOR;
        case TraceSchema.REC_THREAD:
          threadId = buf.readStopBit();
          threadName = buf.readUtf8();
          return Record.THREAD;
        case TraceSchema.REC_PROBE:
          probe = RowCodec.readProbe(buf);
          return Record.PROBE;
        case TraceSchema.REC_COUNTERS:
          counters = RowCodec.readCounters(buf);
          return Record.COUNTERS;
        case TraceSchema.REC_SAMPLING:
          if (version < 2) {
            throw error("sampling record in a version-" + version + " record");
          }
          sampling = RowCodec.readSampling(buf);
          return Record.SAMPLING;
        case TraceSchema.REC_FOOTER:
          counters = RowCodec.readCounters(buf);
          sawFooter = true;
          return Record.FOOTER;
        default:
          throw error("unknown record type 0x" + Integer.toHexString(type));
      }
    } catch (RuntimeException e) {
      rowsLeftInRecord = 0;
      throw error("record truncated or corrupt: " + oneLine(e));
    }
  }

  private Record nextRowOfRecord() throws TraceFormatException {
    String problem;
    try {
      problem = rowDecoder.readRow(row);
    } catch (RuntimeException e) {
      problem = "row truncated or corrupt: " + oneLine(e);
    }
    if (problem != null) {
      rowsLeftInRecord = 0;
      throw error(problem);
    }
    rowsLeftInRecord--;
    rows++;
    if (rowsLeftInRecord == 0 && rowDecoder.pos != docLength) {
      throw error((docLength - rowDecoder.pos) + " unexpected bytes after the last row of a record");
    }
    return Record.ROW;
  }

  private TraceFormatException error(String problem) {
    return new TraceFormatException(dir, "record at index 0x" + Long.toHexString(documentIndex) + ": " + problem);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The row just returned by {@link #next()}; reused by the next call. */
  public TraceRow row() {
    return row;
  }

  /**
   * A 64-bit hash of the request id of the row just returned ({@code 0} if it has none): equal ids
   * have equal hashes in every queue and run, so callers can index requests by it without hashing
   * the string again. Distinct ids collide with probability about 2<sup>-64</sup> per pair.
   */
  public long requestIdHash() {
    return rowDecoder.requestIdHash;
  }

  /** Like {@link #requestIdHash()}, for the key of the row just returned. */
  public long keyHash() {
    return rowDecoder.keyHash;
  }

  /** The most recent header, or {@code null} before the first one. */
  public WorkerHeader header() {
    return header;
  }

  /** Wall-clock nanoseconds since the epoch for a monotonic time of this queue's JVM. */
  public long toWallNanos(long mono) {
    return anchorWall + (mono - anchorMono);
  }

  public long threadId() {
    return threadId;
  }

  public String threadName() {
    return threadName;
  }

  public ProbeStatus probe() {
    return probe;
  }

  /** The most recent counters (periodic or footer), or {@code null} if none were written. */
  public CaptureCounters counters() {
    return counters;
  }

  /** The most recent sampling change, or {@code null} while the capture has had none. */
  public SamplingChange sampling() {
    return sampling;
  }

  /**
   * The capture header, which an agent writes as a queue's first record; null if the first
   * record is something else or there is none (an empty queue, or data that does not decode).
   */
  public static WorkerHeader firstHeader(Path dir) throws TraceFormatException {
    try (TraceCursor c = open(dir)) {
      return c.next() == Record.HEADER ? c.header() : null;
    }
  }

  /**
   * The queue's last sampling record ({@code null} if none), read without decoding the rows. See
   * {@link #prescan}.
   */
  public static SamplingChange lastSampling(Path dir) throws TraceFormatException {
    return prescan(dir).lastSampling();
  }

  /**
   * What a reader needs to know before the rows: the last sampling record, the roles of the probe
   * records, and how many rows the row records hold (their counts, not decoded).
   */
  public record Prescan(SamplingChange lastSampling, java.util.Set<String> probeRoles, long rows) {}

  /**
   * One pass over the queue's documents that decodes only sampling and probe records (a probe
   * record may come after rows: a probe matches when its class loads), so that the rows can be
   * read knowing which key sampling and which probe roles the capture had.
   */
  public static Prescan prescan(Path dir) throws TraceFormatException {
    try (TraceCursor c = open(dir)) {
      SamplingChange last = null;
      java.util.Set<String> roles = new java.util.TreeSet<>();
      long rows = 0;
      while (true) {
        try (DocumentContext dc = c.tailer.readingDocument()) {
          if (!dc.isPresent()) {
            return new Prescan(last, roles, rows);
          }
          c.documentIndex = dc.index();
          if (dc.isMetaData()) {
            continue;
          }
          Bytes<?> in = dc.wire().bytes();
          if (in.readRemaining() < 2) {
            continue;
          }
          int type = in.readUnsignedByte(in.readPosition());
          if (type == TraceSchema.REC_ROWS && in.readRemaining() >= 4) {
            rows += in.readUnsignedShort(in.readPosition() + 2);
          } else if (type == TraceSchema.REC_SAMPLING) {
            in.readSkip(2);
            last = RowCodec.readSampling(in);
          } else if (type == TraceSchema.REC_PROBE) {
            in.readSkip(2);
            roles.add(RowCodec.readProbe(in).role());
          }
        } catch (RuntimeException e) {
          throw c.error("unreadable queue data: " + oneLine(e));
        } catch (InternalError e) {
          throw c.error("queue file became unreadable while reading: " + oneLine(e));
        }
      }
    }
  }

    /** Unfinished documents the precheck found at the end of files: a writer stopped mid-document. */
  public java.util.List<String> incompleteTails() {
    return incompleteTails;
  }

  /** True once the footer was read: the agent closed the capture cleanly. */
  public boolean sawFooter() {
    return sawFooter;
  }

  public long documentsRead() {
    return documents;
  }

  /**
   * Lets the calling thread take over this cursor: Chronicle's tailer checks that one thread uses
   * it. A cursor is still used by one thread at a time; the caller orders the hand-over (a join,
   * a queue) so that the new thread sees what the old one left.
   */
  public void handOver() {
    tailer.singleThreadedCheckReset();
  }

  public long rowsRead() {
    return rows;
  }

  @Override
  public void close() {
    queue.close();
  }
}
