package io.racetrace.agent.core.capture;

import io.racetrace.agent.core.AgentLog;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.WorkerHeader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The one thread that owns the Chronicle appender: drains the {@link EventRing} in batches into
 * row records, and writes thread names, probe match counts, drop counters, clock anchors and, on
 * stop, the footer.
 *
 * <p>Concurrency: the only consumer of the ring and the only user of the queue writer. It wakes
 * on a timer, never per row: every {@code flushMs} (100 ms by default) while rows come, it drains
 * all the ring holds into records of up to a batch each, and parks again; with nothing to drain it
 * backs off, doubling up to five times that (two wake-ups a second idle). A producer that claims
 * the first slot of a quarter of the ring unparks it at once ({@link EventRing#wakeConsumer}), so
 * a burst never waits for the timer with the ring filling. Wake-ups, not rows, are what the
 * writer costs the user's service: about 50 to 90 µs of CPU each on this project's VMs (futex
 * park and unpark, Chronicle's per-document index scan), so 3,800 a second (parks of 0.1 to 1.6 ms,
 * 1.2 rows each) were most of the agent's CPU, 100 a second (a 10 ms timer) still 5 % of a
 * request's CPU at 300 req/s. Application threads never wait for the writer: the interval costs
 * only ring space (32,768 rows hold 100 ms of 330,000 rows a second; beyond that the quarter
 * wake-up drains it every 8,192 rows), and on {@code kill -9} the rows of the last interval, which no in-memory buffer
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

  private final EventRing ring;
  private final CaptureSink sink;
  /** Null without an overhead budget. */
  private final OverheadGovernor governor;
  private final CaptureStats stats;
  private final TraceQueueWriter writer;
  private final DiskGuard disk;
  private final Supplier<ProbeStatus[]> probeStatus;
  private final LongSet namedThreads = new LongSet();
  /** The row being encoded: the writer's own, so the ring's slots hold no references (see {@link Slot}). */
  private final TraceRow scratch = new TraceRow();
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
    while (running) {
      try {
        int n = drainAll();
        long now = System.nanoTime();
        if (now - nextPeriodic >= 0) {
          periodic(now);
        }
        park = n == 0 ? Math.min(park * 2, flushNanos * IDLE_BACKOFF) : flushNanos;
        if (running) {
          LockSupport.parkNanos(park);
        }
      } catch (Throwable t) {
        AgentLog.error("writer: " + t);
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
        writer.footer(stats.snapshot(ring.size()));
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
    Slot s = ring.poll();
    if (s == null) {
      return 0;
    }
    if (broken || disk.low(System.nanoTime())) {
      int n = 0;
      do {
        ring.release(s);
        n++;
      } while (n < 4096 && (s = ring.poll()) != null);
      if (broken) {
        stats.droppedWriteError += n;
      } else {
        stats.droppedDiskLow += n;
      }
      return n;
    }
    int n = 0;
    TraceQueueWriter.RowBatch batch = null;
    Slot adding = null; // the slot being encoded: if encoding it fails, it must not stay at the ring's head
    try {
      nameThread(s);
      batch = writer.rows();
      do {
        if (!namedThreads.contains(s.threadId)) {
          break; // close this batch first: the thread record must precede the row (seen again next batch)
        }
        adding = s;
        TraceRow r = scratch;
        s.copyTo(r);
        if (hasher != null) { // exactly once per row: the row is released right after
          r.requestId = hasher.hash(s.requestId());
          r.key = hasher.hash(s.key());
          batch.add(r);
        } else {
          batch.add(r, s.text, s.requestIdLen, s.keyLen);
        }
        r.requestId = r.key = r.detail = null;
        ring.release(s);
        adding = null;
        n++;
      } while (!batch.isFull() && (s = ring.poll()) != null);
      batch.close();
      batch = null;
      stats.rowsWritten += n;
      consecutiveFailures = 0;
      return Math.max(n, 1);
    } catch (Throwable t) {
      // Only the queue can fail here (the rows hold agent-owned values): the batch is rolled back
      // whole, so its rows are dropped, never half written, and counted once.
      if (batch != null) {
        try {
          batch.abort();
        } catch (Throwable ignored) {
          // the batch is lost either way
        }
      }
      if (adding != null) {
        // A row that cannot be encoded is dropped with its batch, and the writer moves past it:
        // one bad row must not be retried until the writer gives up on the whole capture.
        ring.release(adding);
        n++;
      }
      stats.droppedWriteError += n;
      if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES && !broken) {
        broken = true;
        AgentLog.error("writer: giving up on the queue after repeated failures, dropping rows from now on: " + t);
      }
      return Math.max(n, 1);
    }
  }

  private void nameThread(Slot s) {
    long id = s.threadId;
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
