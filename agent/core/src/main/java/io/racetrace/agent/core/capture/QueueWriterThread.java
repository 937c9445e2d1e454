package io.racetrace.agent.core.capture;

import io.racetrace.agent.core.AgentLog;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.RowDecoder;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import io.racetrace.trace.WorkerHeader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The one thread that owns the Chronicle appender: drains the {@link ByteRing} in batches into
 * row records, copying each row's bytes as the application thread encoded them, and writes thread names, probe match counts, drop counters, clock anchors and, on
 * stop, the footer.
 *
 * <p>Concurrency: the only consumer of the ring and the only user of the queue writer. It wakes
 * on a timer, never per row: every {@code flushMs} (100 ms by default) while rows come, it drains
 * all the ring holds into records of up to a batch each, and parks again; with nothing to drain it
 * backs off, doubling up to five times that (two wake-ups a second idle). A producer that claims
 * the first byte of a quarter of the ring unparks it at once ({@link ByteRing#wakeConsumer}), so
 * a burst never waits for the timer with the ring filling. Wake-ups, not rows, are what the
 * writer costs the user's service: about 50 to 90 µs of CPU each on this project's VMs (futex
 * park and unpark, Chronicle's per-document index scan), so 3,800 a second (parks of 0.1 to 1.6 ms,
 * 1.2 rows each) were most of the agent's CPU, 100 a second (a 10 ms timer) still 5 % of a
 * request's CPU at 300 req/s. Application threads never wait for the writer: the interval costs
 * only ring space (the default 4 MB holds 100 ms of 400,000 rows a second of 100 bytes; beyond
 * that the quarter wake-up drains it every megabyte), and on {@code kill -9} the rows of the last interval, which no in-memory buffer
 * survives anyway. {@link #shutdown} wakes it at once.
 *
 * <p>Failure handling: a write that fails (I/O error, full disk, closed queue) counts the rows of
 * that batch as {@code droppedWriteError}; after repeated failures the thread stops writing and only
 * drains and counts. While {@link DiskGuard} reports low free space rows are counted as
 * {@code droppedDiskLow}, not written. The thread never throws.
 */
public final class QueueWriterThread extends Thread {
  private static final long PERIODIC_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long ANCHOR_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int MAX_CONSECUTIVE_FAILURES = 16;
  /** Rows drained per wake-up at most, so that periodic records and the governor stay on time. */
  private static final int MAX_ROWS_PER_WAKE = 1 << 16;
  /** With nothing to drain, the park doubles up to this many flush intervals. */
  private static final int IDLE_BACKOFF = 5;

  private final ByteRing ring;
  private final CaptureSink sink;
  /** Null without an overhead budget. */
  private final OverheadGovernor governor;
  private final CaptureStats stats;
  private final TraceQueueWriter writer;
  private final DiskGuard disk;
  private final Supplier<ProbeStatus[]> probeStatus;
  private final LongSet namedThreads = new LongSet();
  /** With {@code hashIds}: the row decoded from the ring to hash its strings, and its decoder. */
  private final TraceRow scratch = new TraceRow();
  private final RowDecoder decoder = new RowDecoder();
  /** The row being written, copied out of the ring (the queue and the decoder take arrays). */
  private byte[] rowCopy = new byte[512];
  private final int[] lastProbeMatches;
  private final WorkerHeader header;
  private final IdHasher hasher;
  private volatile boolean running = true;
  private long nextPeriodic;
  private long nextAnchor;
  private CaptureCounters lastCounters = CaptureCounters.ZERO;
  private int consecutiveFailures;
  private boolean broken;
  private final long flushNanos;

  public QueueWriterThread(CaptureSink sink, CaptureStats stats, TraceQueueWriter writer, WorkerHeader header,
      long minFreeBytes, String hashSalt, Supplier<ProbeStatus[]> probeStatus) throws java.io.IOException {
    this(sink, stats, writer, header, minFreeBytes, hashSalt, probeStatus, 0, false, 100);
  }

  /**
   * @param budgetPermille the overhead budget in thousandths of process CPU time; 0 for none (the
   *     sink must then have been built without sampling)
   */
  public QueueWriterThread(CaptureSink sink, CaptureStats stats, TraceQueueWriter writer, WorkerHeader header,
      long minFreeBytes, String hashSalt, Supplier<ProbeStatus[]> probeStatus, int budgetPermille,
      boolean callEntryTime, int flushMillis) throws java.io.IOException {
    super("racetrace-writer");
    setDaemon(true);
    setContextClassLoader(QueueWriterThread.class.getClassLoader()); // Chronicle loads through it
    this.ring = sink.ring();
    this.sink = sink;
    this.stats = stats;
    this.writer = writer;
    this.disk = new DiskGuard(writer.dir(), minFreeBytes, PERIODIC_NANOS / 2);
    this.probeStatus = probeStatus;
    this.header = header;
    this.hasher = hashSalt == null ? null : new IdHasher(hashSalt);
    this.lastProbeMatches = new int[probeStatus.get().length];
    this.governor = sink.sampler() == null || budgetPermille <= 0 ? null
        : OverheadGovernor.create(sink.sampler(), stats, budgetPermille, callEntryTime);
    this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    long now = System.nanoTime();
    nextPeriodic = now + PERIODIC_NANOS;
    nextAnchor = now + ANCHOR_NANOS;
  }

  @Override
  public void run() {
    ring.wakeConsumer(this);
    try {
      writer.handOver();
      writer.header(header);
      if (governor != null) {
        writer.sampling(governor.initial());
      }
      for (ProbeStatus p : probeStatus.get()) {
        writer.probe(p);
        lastProbeMatches[p.probeId()] = p.matchedMethods();
      }
    } catch (Throwable t) {
      broken = true;
      AgentLog.error("writer: cannot write to the queue, dropping rows from now on: " + t);
    }
    long park = flushNanos;
    int loopFailures = 0;
    while (running) {
      try {
        int n = drainAll();
        long now = System.nanoTime();
        if (now - nextPeriodic >= 0) {
          periodic(now);
        }
        park = n == 0 ? Math.min(park * 2, flushNanos * IDLE_BACKOFF) : flushNanos;
        loopFailures = 0;
      } catch (Throwable t) {
        // A failure of the agent's own code (the queue's are handled in drainBatch): said once,
        // never in a loop; if it recurs, the writer stops, and the ring, no longer drained,
        // fills and drops (and counts) rows: the application never waits on it.
        if (loopFailures++ == 0) {
          AgentLog.error("writer: " + t);
        }
        if (loopFailures >= MAX_CONSECUTIVE_FAILURES) {
          AgentLog.error("writer: stopping after " + loopFailures + " failures in a row; rows are dropped from now on: " + t);
          break;
        }
      }
      if (running) {
        LockSupport.parkNanos(park);
      }
    }
    finish();
  }

  /**
   * On this thread, after {@link #shutdown} asked it to stop: drains what application threads
   * published before the sink was removed, writes the final probe counts and the footer, closes
   * the queue. The appender and the ring's consumer side never change threads.
   */
  private void finish() {
    try {
      while (drainBatch() > 0) {
        // drain what was published before the sink was removed
      }
      if (!broken) {
        for (ProbeStatus p : probeStatus.get()) {
          if (p.matchedMethods() != lastProbeMatches[p.probeId()]) {
            writer.probe(p);
          }
        }
        writer.footer(stats.snapshot(ring.rowsInFlight()));
      }
    } catch (Throwable t) {
      AgentLog.warn("writer: could not write the footer: " + t);
    } finally {
      try {
        writer.close();
      } catch (Throwable t) {
        AgentLog.warn("writer: could not close the queue: " + t);
      }
    }
  }

  /** Drains what the ring holds, a record per batch, up to {@link #MAX_ROWS_PER_WAKE} rows; returns how many. */
  private int drainAll() {
    int total = 0;
    int n;
    while (total < MAX_ROWS_PER_WAKE && (n = drainBatch()) > 0) {
      total += n;
    }
    return total;
  }

  /** Writes one batch of up to a record's worth of rows; returns how many rows it took from the ring. */
  private int drainBatch() {
    int at = ring.peek();
    if (at < 0) {
      return 0;
    }
    if (broken || disk.low(System.nanoTime())) {
      int n = 0;
      do {
        ring.next();
        n++;
      } while (n < 4096 && ring.peek() >= 0);
      ring.advance();
      if (broken) {
        stats.droppedWriteError += n;
      } else {
        stats.droppedDiskLow += n;
      }
      return n;
    }
    int n = 0;
    TraceQueueWriter.RowBatch batch = null;
    boolean adding = false; // the row being copied: if that fails, it must not stay at the ring's head
    try {
      byte[] row = copyPeeked(at);
      nameThread(RowDecoder.threadId(row, 0));
      batch = writer.rows();
      do {
        if (n > 0) {
          row = copyPeeked(at);
        }
        if (!namedThreads.contains(RowDecoder.threadId(row, 0))) {
          break; // close this batch first: the thread record must precede the row (seen again next batch)
        }
        adding = true;
        int length = ring.peekedLength;
        if (hasher != null) { // exactly once per row: the row is freed right after
          String problem;
          decoder.reset(row, 0, length, TraceSchema.VERSION);
          if ((problem = decoder.readRow(scratch)) != null) {
            throw new IllegalStateException("row in the ring: " + problem);
          }
          scratch.requestId = hasher.hash(scratch.requestId);
          scratch.key = hasher.hash(scratch.key);
          batch.add(scratch);
          scratch.requestId = scratch.key = scratch.detail = null;
        } else {
          batch.addEncoded(row, 0, length);
        }
        ring.next();
        adding = false;
        n++;
      } while (!batch.isFull() && (at = ring.peek()) >= 0);
      batch.close();
      batch = null;
      ring.advance();
      stats.rowsWritten += n;
      consecutiveFailures = 0;
      return Math.max(n, 1);
    } catch (Throwable t) {
      // Only the queue can fail here (the rows hold agent-owned bytes): the batch is rolled back
      // whole, so its rows are dropped, never half written, and counted once.
      if (batch != null) {
        try {
          batch.abort();
        } catch (Throwable ignored) {
          // the batch is lost either way
        }
      }
      if (adding) {
        // A row that cannot be written is dropped with its batch, and the writer moves past it:
        // one bad row must not be retried until the writer gives up on the whole capture.
        ring.next();
        n++;
      }
      ring.advance();
      stats.droppedWriteError += n;
      if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES && !broken) {
        broken = true;
        AgentLog.error("writer: giving up on the queue after repeated failures, dropping rows from now on: " + t);
      }
      return Math.max(n, 1);
    }
  }

  /** The row {@link ByteRing#peek} found at {@code at}, copied into {@link #rowCopy} (grown to fit). */
  private byte[] copyPeeked(int at) {
    int length = ring.peekedLength;
    if (rowCopy.length < length) {
      rowCopy = new byte[Math.max(length, rowCopy.length * 2)];
    }
    ring.copy(at, rowCopy, length);
    return rowCopy;
  }

  private void nameThread(long id) {
    if (namedThreads.add(id)) {
      writer.thread(id, sink.threadName(id));
    }
  }

  private void periodic(long now) {
    nextPeriodic = now + PERIODIC_NANOS;
    if (broken) {
      return;
    }
    try {
      if (governor != null) {
        io.racetrace.trace.SamplingChange change = governor.tick();
        if (change != null) {
          writer.sampling(change);
        }
      }
      CaptureCounters c = stats.snapshot(0);
      if (c.dropped() != lastCounters.dropped() || c.extractorErrors() != lastCounters.extractorErrors()
          || c.adviceErrors() != lastCounters.adviceErrors()) {
        writer.counters(c);
        lastCounters = c;
      }
      for (ProbeStatus p : probeStatus.get()) {
        if (p.matchedMethods() != lastProbeMatches[p.probeId()]) {
          writer.probe(p);
          lastProbeMatches[p.probeId()] = p.matchedMethods();
        }
      }
      if (now - nextAnchor >= 0) {
        nextAnchor = now + ANCHOR_NANOS;
        writer.anchor(io.racetrace.agent.core.Clocks.wallNanos(), System.nanoTime());
      }
    } catch (Throwable t) {
      AgentLog.warn("writer: periodic record failed: " + t);
    }
  }

  /**
   * Asks the thread to drain, write the footer and close the queue, and waits up to {@code
   * timeoutMillis} for it. The caller never touches the ring or the appender: if the thread has
   * not finished in time it finishes on its own, and this returns false.
   */
  public boolean shutdown(long timeoutMillis) {
    running = false;
    LockSupport.unpark(this);
    try {
      join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (isAlive()) {
      AgentLog.warn("writer: still draining after " + timeoutMillis + " ms; it closes the queue with its footer when done");
      return false;
    }
    return true;
  }
}
