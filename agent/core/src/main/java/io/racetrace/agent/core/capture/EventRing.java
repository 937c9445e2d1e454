package io.racetrace.agent.core.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded multi-producer, single-consumer ring of pre-allocated {@link Slot}s, after Dmitry
 * Vyukov's bounded queue: producers claim a position with one CAS and publish by a volatile write
 * of the slot's sequence; the consumer needs no atomic operation at all.
 *
 * <p>Concurrency: {@link #claim()} and {@link #publish} are called by application threads; they
 * never block and never wait for the consumer. A full ring makes {@code claim} return null and the
 * caller drops (and counts) the event. {@link #poll()} and {@link #release} belong to the single
 * writer thread.
 *
 * <p>Waking the consumer: it sleeps on a timer, never woken per row; the producer whose claim
 * starts a new quarter of the ring unparks it ({@link #wakeConsumer}), once per {@code capacity/4}
 * rows, so a burst is drained before it fills the ring however long the timer. That costs the
 * producers one mask test per row and one {@code unpark} per quarter.
 */
final class EventRing {
  private final Slot[] slots;
  private final int mask;
  private final PaddedLong tail = new PaddedLong();
  private long head; // consumer-owned
  private final long quarterMask;
  /** The consumer thread, unparked when a quarter of the ring has been claimed; null: none yet. */
  private volatile Thread consumer;

  EventRing(int capacity) {
    if (Integer.bitCount(capacity) != 1 || capacity < 2) {
      throw new IllegalArgumentException("ring capacity must be a power of two >= 2: " + capacity);
    }
    slots = new Slot[capacity];
    for (int i = 0; i < capacity; i++) {
      slots[i] = new Slot(i);
    }
    mask = capacity - 1;
    quarterMask = Math.max(1, capacity >>> 2) - 1;
  }

  /** The thread to unpark each time producers have claimed another quarter of the ring. */
  void wakeConsumer(Thread t) {
    consumer = t;
  }

  /** Claims a free slot, or returns null when the ring is full. */
  Slot claim() {
    long pos = tail.get();
    while (true) {
      Slot s = slots[(int) (pos & mask)];
      long dif = (long) Slot.SEQ.getAcquire(s) - pos;
      if (dif == 0) {
        if (tail.compareAndSet(pos, pos + 1)) {
          if ((pos & quarterMask) == 0) {
            wake();
          }
          return s;
        }
        pos = tail.get();
      } else if (dif < 0) {
        return null; // the consumer has not freed this slot yet: full
      } else {
        pos = tail.get(); // another producer took it
      }
    }
  }

  /** The thread {@link #wakeConsumer} named, or null. */
  Thread consumer() {
    return consumer;
  }

  private void wake() {
    Thread t = consumer;
    if (t != null) {
      java.util.concurrent.locks.LockSupport.unpark(t);
    }
  }

  /** Makes a claimed slot visible to the consumer. */
  void publish(Slot s) {
    Slot.SEQ.setRelease(s, (long) Slot.SEQ.getOpaque(s) + 1);
  }

  /** Returns the next published slot, or null if there is none yet. Consumer only. */
  Slot poll() {
    Slot s = slots[(int) (head & mask)];
    return (long) Slot.SEQ.getAcquire(s) == head + 1 ? s : null;
  }

  /** Frees the slot returned by the last {@link #poll()}. Consumer only. */
  void release(Slot s) {
    s.clearRefs();
    Slot.SEQ.setRelease(s, head + slots.length);
    head++;
  }

  /** Approximate number of slots claimed and not yet released. */
  long size() {
    return Math.max(0, tail.get() - head);
  }

  /** An AtomicLong padded against false sharing with its neighbours. */
  @SuppressWarnings("unused")
  static final class PaddedLong extends AtomicLong {
    private static final long serialVersionUID = 1L;
    long p1, p2, p3, p4, p5, p6, p7;
  }
}
