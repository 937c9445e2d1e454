package io.racetrace.analyzer.read;

import io.racetrace.analyzer.util.Stages;
import io.racetrace.trace.TraceFormatException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and decodes one queue on a thread of its own, a few batches ahead of the analysis: the
 * first stage of the analyzer's pipeline, so that Chronicle's reading and the rows' decoding (about
 * a quarter of a single-threaded run) overlap the correlation and the detectors on another core.
 * The analysis sees exactly the rows, in exactly the order, a plain {@link QueueSource} gives, and
 * the same error at the same row: the report cannot depend on the thread count.
 *
 * <p>Concurrency: a fixed set of batches circulates between two bounded queues, the reader filling
 * free ones and the analysis emptying full ones, so memory stays a few thousand rows per queue
 * however long the capture. The queues' hand-off orders everything: the reader writes a batch and
 * the source's state (header, first row, counters) before it puts the batch, the analysis reads
 * them after taking it; after the last batch (or {@link #close}, which joins the reader) the
 * source's state is final and the calling thread owns the source again. Chronicle's tailer is
 * handed over explicitly ({@link QueueSource#handOver}) each time its thread changes.
 *
 * <p>Failure handling: a {@link TraceFormatException} on the reader travels in the last batch and
 * is thrown by {@link #next} after the rows before it, as a plain source would; any other
 * throwable the same way, rethrown unchanged. Closing early (the analysis failed) stops the reader
 * at its next batch and waits for it, so no thread outlives the analysis and the queue's files are
 * closed by the caller only once nothing reads them. The reader is never interrupted (an interrupt
 * inside Chronicle's file access would close its channel): it waits in slices of {@value #WAIT_MS}
 * ms and looks at a flag between them.
 */
public final class ReadAhead implements RowSource, AutoCloseable {
  static final int BATCHES = 4;
  static final long WAIT_MS = 10;

  private final QueueSource source;
  private final int batchSize;
  private final BlockingQueue<Batch> full;
  private final BlockingQueue<Batch> free;
  private final Thread thread;
  private volatile boolean stopping;
  private Batch current;
  private int pos;
  private boolean ended;

  private static final class Batch {
    final Ev[] rows;
    int size;
    boolean last;
    Throwable failure;

    Batch(int n) {
      rows = new Ev[n];
      for (int i = 0; i < n; i++) {
        rows[i] = new Ev();
      }
    }
  }

  /** @param batchSize rows handed on at a time */
  public ReadAhead(QueueSource source, int batchSize) {
    this.source = source;
    this.batchSize = batchSize;
    this.full = new ArrayBlockingQueue<>(BATCHES);
    this.free = new ArrayBlockingQueue<>(BATCHES);
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch(batchSize));
    }
    thread = new Thread(this::fill, "racetrace-read-" + source.index);
    thread.setDaemon(true);
    thread.start();
  }

  private void fill() {
    source.handOver();
    Batch b;
    while ((b = poll(free)) != null) {
      b.size = 0;
      try {
        while (b.size < batchSize && source.next(b.rows[b.size])) {
          b.size++;
        }
        b.last = b.size < batchSize;
      } catch (Throwable t) {
        b.failure = t;
        b.last = true;
      }
      if (!offer(b) || b.last) {
        return;
      }
    }
  }

  private Batch poll(BlockingQueue<Batch> q) {
    try {
      while (!stopping) {
        Batch b = q.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
      }
    } catch (InterruptedException e) {
      // nobody interrupts the reader; stop as if closed
    }
    return null;
  }

  private boolean offer(Batch b) {
    try {
      while (!stopping) {
        if (full.offer(b, WAIT_MS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      // as above
    }
    return false;
  }

  @Override
  public boolean next(Ev into) throws TraceFormatException {
    while (current == null || pos == current.size) {
      if (ended) {
        return false;
      }
      if (current != null) {
        if (current.last) {
          ended = true;
          Throwable t = current.failure;
          current = null;
          rethrow(t);
          return false;
        }
        free.add(current);
      }
      current = take();
      pos = 0;
    }
    into.copyFrom(current.rows[pos++]);
    return true;
  }

  private Batch take() {
    try {
      while (true) {
        Batch b = full.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
        if (!thread.isAlive() && full.isEmpty()) { // cannot happen: the reader's last batch says why it ended
          throw new IllegalStateException("the reader of " + source.dir + " stopped without its last rows");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rows of " + source.dir);
    }
  }

  private static void rethrow(Throwable t) throws TraceFormatException {
    if (t instanceof TraceFormatException e) {
      throw e;
    }
    Stages.rethrow(t);
  }

  /** Stops the reader if it is still running and waits for it; the caller owns the source again. */
  @Override
  public void close() {
    stopping = true;
    Stages.join(thread);
    source.handOver();
  }
}
