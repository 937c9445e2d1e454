package io.racetrace.trace;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Writes trace records to one Chronicle Queue directory.
 *
 * <p>Concurrency: not thread-safe. Exactly one thread owns a writer (in the agent, its writer
 * thread), as Chronicle requires of an appender. Application threads never call it.
 *
 * <p>Failure handling: Chronicle's runtime exceptions propagate; the agent's writer catches them
 * and counts the rows it could not write.
 */
public final class TraceQueueWriter implements AutoCloseable {
  private final Path dir;
  private final ChronicleQueue queue;
  private final ExcerptAppender appender;
  private final RowBatch batch = new RowBatch();

  /** Chronicle's default: files grow in 64 MiB sparse blocks. */
  public static final long DEFAULT_BLOCK_SIZE = 64L << 20;

  private TraceQueueWriter(Path dir, long blockSize) {
    this.dir = dir;
    ChronicleSettings.apply();
    this.queue = SingleChronicleQueueBuilder.binary(dir.toFile())
        .rollCycle(RollCycles.FAST_DAILY)
        .blockSize(blockSize)
        .storeFileListener(new OwnerOnlyFiles())
        .build();
    this.appender = queue.createAppender();
    ownerOnlyFilesIn(dir);
  }

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_RW =
      PosixFilePermissions.fromString("rw-------");

  /** Makes the queue's files (metadata, and each cycle file when Chronicle opens it) owner-only. */
  private static final class OwnerOnlyFiles implements net.openhft.chronicle.queue.impl.StoreFileListener {
    @Override
    public boolean isActive() {
      return POSIX;
    }

    @Override
    public void onAcquired(int cycle, java.io.File file) {
      ownerOnly(file.toPath());
    }

    @Override
    public void onReleased(int cycle, java.io.File file) {
      // nothing to do
    }
  }

  private static void ownerOnlyFilesIn(Path dir) {
    if (!POSIX) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile).forEach(TraceQueueWriter::ownerOnly);
    } catch (IOException | RuntimeException e) {
      // best effort: the directory itself is owner-only when racetrace created it
    }
  }

  private static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, OWNER_RW);
    } catch (IOException | RuntimeException e) {
      // best effort, as above
    }
  }

  /**
   * Opens (creating if needed) the queue in {@code dir}. A new directory is made readable by its
   * owner only, since captures hold keys and request ids of the application.
   */
  public static TraceQueueWriter open(Path dir) throws IOException {
    return open(dir, DEFAULT_BLOCK_SIZE);
  }

  /**
   * Opens the queue with a given block size: small blocks make small files, for captures that are
   * checked in (samples, golden files); large blocks cost fewer remaps for busy captures.
   */
  public static TraceQueueWriter open(Path dir, long blockSize) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    return new TraceQueueWriter(dir, blockSize);
  }

  public Path dir() {
    return dir;
  }

  /**
   * Hands the writer over to the calling thread. Chronicle checks that an appender is used by one
   * thread; call this once when ownership moves (queue opened on one thread, written by another).
   */
  public void handOver() {
    appender.singleThreadedCheckReset();
  }

  public void header(WorkerHeader h) {
    try (DocumentContext dc = appender.writingDocument()) {
      Bytes<?> b = dc.wire().bytes();
      RowCodec.writeRecordStart(b, TraceSchema.REC_HEADER);
      RowCodec.writeHeader(b, h);
    }
  }

  public void anchor(long wallEpochNanos, long monoNanos) {
    try (DocumentContext dc = appender.writingDocument()) {
      Bytes<?> b = dc.wire().bytes();
      RowCodec.writeRecordStart(b, TraceSchema.REC_ANCHOR);
      b.writeLong(wallEpochNanos);
      b.writeLong(monoNanos);
    }
  }

  public void thread(long threadId, String name) {
    try (DocumentContext dc = appender.writingDocument()) {
      Bytes<?> b = dc.wire().bytes();
      RowCodec.writeRecordStart(b, TraceSchema.REC_THREAD);
      b.writeStopBit(threadId);
      b.writeUtf8(name);
    }
  }

  public void probe(ProbeStatus p) {
    try (DocumentContext dc = appender.writingDocument()) {
      Bytes<?> b = dc.wire().bytes();
      RowCodec.writeRecordStart(b, TraceSchema.REC_PROBE);
      RowCodec.writeProbe(b, p);
    }
  }

  public void sampling(SamplingChange s) {
    try (DocumentContext dc = appender.writingDocument()) {
      Bytes<?> b = dc.wire().bytes();
      RowCodec.writeRecordStart(b, TraceSchema.REC_SAMPLING);
      RowCodec.writeSampling(b, s);
    }
  }

  public void counters(CaptureCounters c) {
    writeCounters(TraceSchema.REC_COUNTERS, c);
  }

  /** Writes the closing record; a queue without one was not closed cleanly (crash, kill -9). */
  public void footer(CaptureCounters c) {
    writeCounters(TraceSchema.REC_FOOTER, c);
  }

  private void writeCounters(byte type, CaptureCounters c) {
    try (DocumentContext dc = appender.writingDocument()) {
      Bytes<?> b = dc.wire().bytes();
      RowCodec.writeRecordStart(b, type);
      RowCodec.writeCounters(b, c);
    }
  }

  /** Writes one row as a record of its own; prefer {@link #rows()} for many rows. */
  public void row(TraceRow row) {
    try (RowBatch b = rows()) {
      b.add(row);
    }
  }

  /**
   * Opens a row record. Add at most {@link TraceSchema#MAX_ROWS_PER_RECORD} rows, then close it;
   * the returned object is reused by the next call.
   */
  public RowBatch rows() {
    batch.open(appender.writingDocument());
    return batch;
  }

  @Override
  public void close() {
    queue.close();
  }

  /** An open row record. */
  public static final class RowBatch implements AutoCloseable {
    private DocumentContext dc;
    private Bytes<?> bytes;
    private long countPos;
    private int count;

    void open(DocumentContext dc) {
      this.dc = dc;
      this.bytes = dc.wire().bytes();
      RowCodec.writeRecordStart(bytes, TraceSchema.REC_ROWS);
      countPos = bytes.writePosition();
      bytes.writeUnsignedShort(0);
      count = 0;
    }

    public boolean isFull() {
      return count >= TraceSchema.MAX_ROWS_PER_RECORD;
    }

    public int size() {
      return count;
    }

    public void add(TraceRow row) {
      if (isFull()) {
        throw new IllegalStateException("row record full");
      }
      RowCodec.writeRow(bytes, row);
      count++;
    }

    /**
     * Adds a row already encoded as {@link RowCodec#writeRow} encodes it ({@link RowEncoder}):
     * {@code length} bytes of {@code b} from {@code offset}, copied as they are.
     */
    public void addEncoded(byte[] b, int offset, int length) {
      if (isFull()) {
        throw new IllegalStateException("row record full");
      }
      bytes.write(b, offset, length);
      count++;
    }

    /** Discards the batch: none of its rows reach the queue. */
    public void abort() {
      DocumentContext d = dc;
      dc = null;
      bytes = null;
      if (d != null) {
        d.rollbackOnClose();
        d.close();
      }
    }

    @Override
    public void close() {
      if (count == 0) {
        dc.rollbackOnClose();
      } else {
        bytes.writeUnsignedShort(countPos, count);
      }
      dc.close();
      dc = null;
      bytes = null;
    }
  }
}
