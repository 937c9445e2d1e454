package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ByteRingTest {
  /** Writes {@code bytes} as a record and commits it; false if the ring is full. */
  private static boolean offer(ByteRing ring, byte[] bytes) {
    int at = ring.claim(bytes.length);
    if (at == ByteRing.FULL) {
      return false;
    }
    ring.commit(at, bytes, bytes.length);
    return true;
  }

  /** The next record's bytes, moved past (not yet freed), or null. */
  private static byte[] take(ByteRing ring) {
    int at = ring.peek();
    if (at < 0) {
      return null;
    }
    byte[] b = new byte[ring.peekedLength];
    ring.copy(at, b, b.length);
    ring.next();
    return b;
  }

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void fillsUp_refuses_andTakesAgainOnceFreed() {
    ByteRing ring = new ByteRing(64); // four records of 8 bytes of header and 8 of row
    for (int i = 0; i < 4; i++) {
      assertTrue(offer(ring, bytes(8, i + 1)), "record " + i);
    }
    assertFalse(offer(ring, bytes(1, 9)), "full");
    assertEquals(4, ring.rowsInFlight());
    assertArrayEquals(bytes(8, 1), take(ring));
    assertFalse(offer(ring, bytes(8, 9)), "read but not freed: still the consumer's");
    ring.advance();
    assertTrue(offer(ring, bytes(8, 5)), "freed");
    for (int i = 2; i <= 5; i++) {
      assertArrayEquals(bytes(8, i), take(ring), "in claim order");
    }
    assertNull(take(ring), "a whole lap read and not freed: the reader stops, not reading last lap's bytes");
    ring.advance();
    assertNull(take(ring));
    assertEquals(0, ring.rowsInFlight());
  }

  /** A record that does not fit before the end of the array starts at 0, after a padding record the reader skips. */
  @Test
  void recordAtTheEnd_wrapsBehindPadding() {
    ByteRing ring = new ByteRing(64);
    assertTrue(offer(ring, bytes(16, 1))); // [0, 24)
    assertTrue(offer(ring, bytes(16, 2))); // [24, 48)
    take(ring);
    take(ring);
    ring.advance();
    assertTrue(offer(ring, bytes(20, 3)), "16 bytes left at the end: padded, written at 0"); // 28 -> 32 bytes
    assertEquals(8, ring.peek(), "the row starts after its header at 0");
    assertArrayEquals(bytes(20, 3), take(ring));
    assertFalse(offer(ring, bytes(16, 4)), "read, not yet freed: the padding and the record hold 48 of the 64 bytes");
    ring.advance();
    assertTrue(offer(ring, bytes(16, 4)), "[32, 56)");
    assertArrayEquals(bytes(16, 4), take(ring));
    assertNull(take(ring));
  }

  @Test
  void rowsLongerThanHalfTheRing_areRefused() {
    ByteRing ring = new ByteRing(256);
    assertEquals(120, ring.maxRowLength());
    assertFalse(offer(ring, bytes(121, 1)));
    assertTrue(offer(ring, bytes(120, 1)));
  }

  /** A claimed record not yet committed holds the reader back and counts as in flight at stop. */
  @Test
  void claimedNotCommitted_isInFlight_andBlocksTheReader() {
    ByteRing ring = new ByteRing(256);
    int at = ring.claim(10);
    assertTrue(offer(ring, bytes(10, 2)));
    assertEquals(-1, ring.peek(), "the first record is not published: nothing is readable yet");
    assertEquals(2, ring.rowsInFlight());
    ring.commit(at, bytes(10, 1), 10);
    assertArrayEquals(bytes(10, 1), take(ring));
    assertArrayEquals(bytes(10, 2), take(ring));
    assertEquals(0, ring.rowsInFlight());
  }

  /**
   * The consumer sleeps on a long timer; producers unpark it once per quarter of the ring claimed
   * (the claims of bytes 0, 128 and 256 of a 512-byte ring of 16-byte records), never per row.
   */
  @Test
  void consumerIsWokenOncePerQuarterOfTheRing() throws Exception {
    ByteRing ring = new ByteRing(512);
    AtomicInteger wakeUps = new AtomicInteger();
    Thread consumer = new Thread(() -> {
      while (wakeUps.get() < 3) {
        java.util.concurrent.locks.LockSupport.park();
        wakeUps.incrementAndGet();
      }
    });
    consumer.setDaemon(true);
    ring.wakeConsumer(consumer);
    consumer.start();
    for (int record = 0; record < 17; record++) {
      awaitParked(consumer);
      int before = wakeUps.get();
      assertTrue(offer(ring, bytes(8, 1)));
      take(ring); // this thread plays the consumer's part for the bytes
      ring.advance();
      if (record % 8 == 0) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (wakeUps.get() == before && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals(before + 1, wakeUps.get(), "record " + record + " starts a quarter: one wake-up");
      } else {
        assertEquals(before, wakeUps.get(), "record " + record + ": no wake-up inside a quarter");
      }
    }
    consumer.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(consumer.isAlive());
    assertEquals(3, wakeUps.get());
  }

  private static void awaitParked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.isAlive() && t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  /**
   * Four producers offer records of 12 to 75 bytes (their number and sequence, then a pattern)
   * through a 4 KB ring, each offering a refused record again until it is taken: 200,000 records,
   * about 2,500 laps of the ring, every one read exactly once, whole and intact, in each
   * producer's order.
   */
  @Test
  void concurrentProducers_neverLoseTearOrDuplicateARecord() throws Exception {
    ByteRing ring = new ByteRing(4096);
    int producers = 4;
    int perProducer = 50_000;
    AtomicLong refusals = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Thread[] threads = new Thread[producers];
    for (int p = 0; p < producers; p++) {
      int id = p;
      threads[p] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          int length = 12 + (i * 7 + id) % 64;
          ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
          b.putInt(id).putInt(i).putInt(length);
          while (b.hasRemaining()) {
            b.put((byte) (i + b.position()));
          }
          while (!offer(ring, b.array())) {
            refusals.incrementAndGet();
            if (System.nanoTime() > deadline) {
              return; // the consumer stopped taking: the count below fails
            }
            Thread.onSpinWait();
          }
        }
      });
      threads[p].start();
    }
    int[] next = new int[producers];
    long seen = 0;
    start.countDown();
    while ((alive(threads) || ring.peek() >= 0) && System.nanoTime() < deadline) {
      byte[] r;
      int batch = 0;
      while ((r = take(ring)) != null) {
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        int id = b.getInt();
        int i = b.getInt();
        assertEquals(b.getInt(), r.length, "record length");
        for (int k = 12; k < r.length; k++) {
          assertEquals((byte) (i + k), r[k], "record " + id + "/" + i + " byte " + k);
        }
        assertEquals(next[id]++, i, "producer " + id + "'s records, once each, in order");
        seen++;
        if (++batch % 16 == 0) {
          ring.advance();
        }
      }
      ring.advance();
    }
    assertEquals((long) producers * perProducer, seen, "after " + refusals.get() + " refusals");
    assertEquals(0, ring.rowsInFlight());
    assertEquals(0, ring.usedBytes());
  }

  private static boolean alive(Thread[] threads) {
    for (Thread t : threads) {
      if (t.isAlive()) {
        return true;
      }
    }
    return false;
  }
}
