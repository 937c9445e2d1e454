package io.racetrace.analyzer.read;

import io.racetrace.trace.TraceFormatException;
import java.util.List;

/**
 * Merges the rows of several queues into one stream ordered by wall-clock end time.
 *
 * <p>Ordering: the agent writes a row when the probed method exits, so a queue is in end-time
 * order except for rows that overtook each other between exit and the writer thread. Each queue
 * gets a small sorted buffer (insertion from the tail: nearly sorted input costs O(1) a row); a
 * row leaves its buffer once every still-open queue has read past its end time plus the reorder
 * window, so rows up to {@code reorderWindowNanos} out of order are put back in order. A row that
 * arrives later than that is passed on at once and counted in {@link #lateRows()}. Queues from
 * different JVMs merge through their wall-clock anchors, so clock skew between hosts larger than
 * the window shows up as late rows.
 *
 * <p>Memory: the rows inside the reorder window, per queue; the {@link Ev} objects are recycled.
 */
public final class MergedReader {
  private final List<? extends RowSource> sources;
  private final long window;
  private final Buffer[] buffers;
  private long lateRows;
  private long lastEmittedEnd = Long.MIN_VALUE;
  private long seq;

  public MergedReader(List<? extends RowSource> sources, long reorderWindowNanos) {
    this.sources = sources;
    this.window = reorderWindowNanos;
    this.buffers = new Buffer[sources.size()];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = new Buffer();
    }
  }

  /** Reads every queue to its end, handing each row to {@code sink} in merged order. */
  public void run(RowSink sink) throws TraceFormatException {
    int n = buffers.length;
    boolean[] done = new boolean[n];
    int open = n;
    while (open > 0) {
      // Read from the open queue that is furthest behind, so all advance together.
      int s = -1;
      for (int i = 0; i < n; i++) {
        if (!done[i] && (s < 0 || buffers[i].maxEnd < buffers[s].maxEnd)) {
          s = i;
        }
      }
      Buffer b = buffers[s];
      Ev slot = b.claim();
      if (!sources.get(s).next(slot)) {
        done[s] = true;
        open--;
      } else {
        b.commit();
      }
      long watermark = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        if (!done[i]) {
          watermark = Math.min(watermark, buffers[i].maxEnd == Long.MIN_VALUE ? Long.MIN_VALUE : buffers[i].maxEnd - window);
        }
      }
      emitUpTo(watermark, sink);
    }
    emitUpTo(Long.MAX_VALUE, sink);
  }

  private void emitUpTo(long watermark, RowSink sink) {
    Buffer[] bs = buffers;
    if (bs.length == 1) {
      Buffer b = bs[0];
      while (b.size > 0 && b.headEnd() <= watermark) {
        emit(b.poll(), sink);
      }
      return;
    }
    while (true) {
      Buffer best = null;
      for (Buffer b : bs) {
        if (b.size > 0 && b.headEnd() <= watermark && (best == null || b.headEnd() < best.headEnd())) {
          best = b;
        }
      }
      if (best == null) {
        return;
      }
      emit(best.poll(), sink);
    }
  }

  private void emit(Ev e, RowSink sink) {
    if (e.endWall < lastEmittedEnd) {
      lateRows++;
    } else {
      lastEmittedEnd = e.endWall;
    }
    e.seq = seq++;
    sink.accept(e);
  }

  /** Rows that arrived more than the reorder window after rows that ended later than they did. */
  public long lateRows() {
    return lateRows;
  }

  public long rowsEmitted() {
    return seq;
  }

  /** A growable ring of recycled events kept sorted by end time. */
  private static final class Buffer {
    Ev[] ring = newRing(1024);
    int head;
    int size;
    long maxEnd = Long.MIN_VALUE;

    private static Ev[] newRing(int n) {
      Ev[] r = new Ev[n];
      for (int i = 0; i < n; i++) {
        r[i] = new Ev();
      }
      return r;
    }

    /** The free slot at the tail, to be filled and then {@link #commit}ted. */
    Ev claim() {
      if (size == ring.length) {
        Ev[] bigger = new Ev[ring.length * 2];
        for (int i = 0; i < size; i++) {
          bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        for (int i = size; i < bigger.length; i++) {
          bigger[i] = new Ev();
        }
        ring = bigger;
        head = 0;
      }
      return ring[(head + size) & (ring.length - 1)];
    }

    void commit() {
      int mask = ring.length - 1;
      int i = (head + size) & mask;
      Ev e = ring[i];
      long end = e.endWall;
      if (end > maxEnd) {
        maxEnd = end;
      }
      // Insertion sort from the tail; equal end times keep queue order.
      int moved = 0;
      while (moved < size) {
        int prev = (i - 1) & mask;
        if (ring[prev].endWall <= end) {
          break;
        }
        ring[i] = ring[prev];
        i = prev;
        moved++;
      }
      ring[i] = e;
      size++;
    }

    long headEnd() {
      return ring[head].endWall;
    }

    /** Removes the head; the returned event stays valid until the slot is claimed again. */
    Ev poll() {
      Ev e = ring[head];
      head = (head + 1) & (ring.length - 1);
      size--;
      return e;
    }
  }
}
