package io.racetrace.agent.core.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded multi-producer, single-consumer ring of variable-length records in one block of
 * direct memory, after Agrona's {@code ManyToOneRingBuffer}: each record is a row already encoded as the queue
 * stores it, so a row costs the ring its 40 to 100 bytes (one or two cache lines) instead of a
 * pre-allocated slot object, and the writer copies it to the queue as it is.
 *
 * <p>Layout: records start on 8-byte boundaries; each opens with an 8-byte header, one {@code
 * long}: the record's length (header and row), its state (claimed, a row, or the padding that
 * fills the end of the array when a record does not fit before it) and a tag, the record's
 * position in the ring's whole stream ({@code position / 8}, 38 bits), followed by the row's bytes.
 *
 * <p>Concurrency: producers ({@link #claim}, {@link #commit}) are application threads; they never
 * block and never wait for the consumer. A producer claims its record's bytes with one CAS on the
 * tail, marks the header claimed at once, copies its row, and publishes with a release store of
 * the header as a row. The consumer ({@link #peek}, {@link #next}, {@link #advance}) reads the
 * header, only where the tail says a record has been claimed, with acquire semantics; a header
 * whose tag is not the position expected is a previous lap's bytes, so the record there is not
 * written yet, and it stops there (records are read in claim order), as it does at a record still
 * claimed. (Between a producer's CAS and its first store, a matter of nanoseconds, an earlier lap's
 * payload could pass for the header only if eight of its bytes held this position's 38-bit tag and
 * a valid state.) The tag is why the consumer never writes
 * into the ring: Agrona zeroes what it has read so that a stale header reads 0, which leaves every
 * line of the ring modified in the consumer's cache for the next producer to fetch back; here the
 * consumer only reads, and after a batch publishes the new head with a release store. A producer
 * that sees the head move past a region may reuse it. A full ring makes {@code claim} return
 * {@link #FULL} and the caller drops (and counts) the row; nothing here waits.
 *
 * <p>Waking the consumer: it sleeps on a timer, never woken per row; the producer whose claim
 * holds the first byte of a quarter of the ring unparks it ({@link #wakeConsumer}), so a burst is
 * drained before it fills the ring however long the timer.
 *
 * <p>Why direct memory, not a {@code byte[]}: the headers need release and acquire access, which a
 * long view of a {@code byte[]} gives on JDK 17 but not from JDK 23 on (an array's elements are not
 * guaranteed 8-byte aligned there, so {@code byteArrayViewVarHandle} throws {@code
 * UnsupportedOperationException} for every mode but plain); a view of an aligned direct buffer
 * keeps them on every JDK.
 *
 * <p>A claimed record must be committed: the consumer waits at an unpublished record for ever. So
 * callers encode the row, from agent-owned values only, before they claim, and between claim and
 * commit only copy bytes.
 */
final class ByteRing {
  static final int HEADER = 8;
  static final int ALIGN = 8;
  /** {@link #claim}: no room; the row is dropped. */
  static final int FULL = -1;
  /** The longest record: its length takes the header's low 24 bits. */
  static final int MAX_RECORD = 1 << 24;
  private static final long LENGTH_MASK = MAX_RECORD - 1;
  private static final int STATE_SHIFT = 24;
  private static final long CLAIMED = 1L << STATE_SHIFT;
  private static final long ROW = 2L << STATE_SHIFT;
  private static final long PADDING = 3L << STATE_SHIFT;
  private static final long STATE_MASK = 3L << STATE_SHIFT;
  private static final int TAG_SHIFT = 26;

  private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final ByteBuffer buffer;
  private final int capacity;
  private final int mask;
  private final int maxRecord;
  private final int quarterShift;
  private final PaddedLong tail = new PaddedLong();
  /** Published by the consumer after each batch (release); read by producers (acquire). */
  private final PaddedLong head = new PaddedLong();
  /** The consumer's read position: ahead of {@link #head} within a batch. */
  private long readPos;
  /** The tail as the consumer last read it: everything before it has been claimed. */
  private long tailSeen;
  /** The consumer thread, unparked when a quarter of the ring has been claimed; null: none yet. */
  private volatile Thread consumer;

  /** @param capacity the ring's size in bytes, a power of two of at least 64 */
  ByteRing(int capacity) {
    if (Integer.bitCount(capacity) != 1 || capacity < 64) {
      throw new IllegalArgumentException("ring capacity must be a power of two >= 64 bytes: " + capacity);
    }
    this.buffer = ByteBuffer.allocateDirect(capacity + ALIGN).alignedSlice(ALIGN).limit(capacity).slice()
        .order(ByteOrder.nativeOrder());
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxRecord = Math.min(capacity / 2, MAX_RECORD - ALIGN);
    this.quarterShift = Integer.numberOfTrailingZeros(capacity) - 2;
  }

  int capacity() {
    return capacity;
  }

  /** The longest row, in bytes, that the ring can take. */
  int maxRowLength() {
    return maxRecord - HEADER;
  }

  /** Copies {@code length} bytes of the row at {@code index} (what {@link #peek} returned) to {@code dst}. Consumer only. */
  void copy(int index, byte[] dst, int length) {
    buffer.get(index, dst, 0, length);
  }

  /** The thread to unpark each time producers have claimed another quarter of the ring. */
  void wakeConsumer(Thread t) {
    consumer = t;
  }

  /** The thread {@link #wakeConsumer} named, or null. */
  Thread consumer() {
    return consumer;
  }

  /**
   * Claims room for a row of {@code length} bytes: returns the index of the record's row, or
   * {@link #FULL}. The caller must then {@link #commit} it.
   */
  int claim(int length) {
    if (length <= 0 || length > maxRowLength()) {
      return FULL;
    }
    int recordLength = HEADER + length;
    int aligned = (recordLength + ALIGN - 1) & -ALIGN;
    long t;
    int padding;
    int index;
    do {
      t = tail.get();
      long free = capacity - (t - head.getAcquire());
      index = (int) (t & mask);
      int toEnd = capacity - index;
      padding = aligned > toEnd ? toEnd : 0; // the record does not fit before the end: pad to it, start at 0
      if (aligned + padding > free) {
        return FULL;
      }
    } while (!tail.compareAndSet(t, t + aligned + padding));
    if (padding != 0) {
      LONG.setRelease(buffer, index, header(t, PADDING, padding));
      index = 0;
    }
    long at = t + padding;
    LONG.setOpaque(buffer, index, header(at, CLAIMED, recordLength)); // counted as in flight, not yet readable
    if (((t - 1) >> quarterShift) != ((t + aligned + padding - 1) >> quarterShift)) {
      wake(); // the claim holds the first byte of a quarter
    }
    return index + HEADER;
  }

  /** A record's header: its position's tag, its state and its length. */
  private static long header(long position, long state, int length) {
    return (position >>> 3) << TAG_SHIFT | state | length;
  }

  /** Whether {@code h}, read at {@code position}, was written there in this lap of the ring. */
  private static boolean current(long h, long position) {
    return (h >>> TAG_SHIFT) == ((position >>> 3) & (-1L >>> TAG_SHIFT));
  }

  /**
   * Copies {@code length} bytes of {@code row} to the record claimed at {@code rowIndex} (what
   * {@link #claim} returned for that length) and publishes it.
   */
  void commit(int rowIndex, byte[] row, int length) {
    buffer.put(rowIndex, row, 0, length);
    int index = rowIndex - HEADER;
    long claimed = (long) LONG.getOpaque(buffer, index); // this thread's own store: the tag to keep
    LONG.setRelease(buffer, index, (claimed & ~(STATE_MASK | LENGTH_MASK)) | ROW | (HEADER + length));
  }

  private void wake() {
    Thread t = consumer;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * The index of the next published row (for {@link #copy}), with its length in {@link
   * #peekedLength}, or -1 if there is none yet. Skips padding. Consumer only; {@link #next} moves
   * past the row.
   */
  int peek() {
    long lap = head.get() + capacity; // beyond it lie the bytes of records read this batch, not yet freed
    while (readPos < lap) {
      if (readPos >= tailSeen && readPos >= (tailSeen = tail.get())) {
        return -1; // nothing claimed there yet: the bytes are an earlier lap's, whatever they look like
      }
      int index = (int) (readPos & mask);
      long h = (long) LONG.getAcquire(buffer, index);
      long state = h & STATE_MASK;
      if (!current(h, readPos) || state < ROW) {
        return -1; // not written in this lap yet (the array's zeros, at first), or claimed, not yet committed
      }
      int length = (int) (h & LENGTH_MASK);
      if (state == PADDING) {
        readPos += length;
        continue;
      }
      peekedLength = length - HEADER;
      return index + HEADER;
    }
    return -1;
  }

  /** The row length of the record {@link #peek} returned. */
  int peekedLength;

  /** Moves past the row {@link #peek} returned; its bytes stay the consumer's until {@link #advance}. */
  void next() {
    readPos += ((peekedLength + HEADER) + ALIGN - 1) & -ALIGN;
  }

  /** Frees what the consumer has read since the last call: publishes the new head. Consumer only. */
  void advance() {
    head.setRelease(readPos);
  }

  /** Bytes claimed and not yet freed by {@link #advance}: approximate while producers run. */
  long usedBytes() {
    return Math.max(0, tail.get() - head.getAcquire());
  }

  /**
   * Rows claimed and not yet read, published or not: what the footer reports as in flight when the
   * capture stops. Walks the records from the consumer's position; a record whose producer has
   * claimed it and not yet written even its header (a window of a few instructions) ends the walk
   * and counts as one. Consumer only.
   */
  long rowsInFlight() {
    long end = tail.get();
    long p = readPos;
    long rows = 0;
    while (p < end) {
      long h = (long) LONG.getAcquire(buffer, (int) (p & mask));
      if (!current(h, p) || (h & STATE_MASK) == 0) {
        return rows + 1; // claimed, its header not yet written
      }
      int length = (int) (h & LENGTH_MASK);
      if ((h & STATE_MASK) != PADDING) {
        rows++;
        p += (length + ALIGN - 1) & -ALIGN;
      } else {
        p += length;
      }
    }
    return rows;
  }

  /** An AtomicLong padded against false sharing with its neighbours. */
  @SuppressWarnings("unused")
  static final class PaddedLong extends AtomicLong {
    private static final long serialVersionUID = 1L;
    long p1, p2, p3, p4, p5, p6, p7;
  }
}
