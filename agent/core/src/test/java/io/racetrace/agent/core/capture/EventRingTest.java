package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventRingTest {
  @Test
  void fullRing_refusesInsteadOfBlocking_andFreesSlotsInOrder() {
    EventRing ring = new EventRing(4);
    Slot[] claimed = new Slot[4];
    for (int i = 0; i < 4; i++) {
      claimed[i] = ring.claim();
      assertNotNull(claimed[i]);
      claimed[i].threadSeq = i;
    }
    assertNull(ring.claim(), "full");
    assertNull(ring.poll(), "nothing published yet");
    ring.publish(claimed[1]);
    assertNull(ring.poll(), "the consumer waits for slot 0, published in order of claim");
    ring.publish(claimed[0]);
    Slot s = ring.poll();
    assertEquals(0, s.threadSeq);
    ring.release(s);
    assertEquals(1, ring.poll().threadSeq);
    assertNotNull(ring.claim(), "a released slot can be claimed again");
  }

  /**
   * The consumer sleeps on a long timer; producers unpark it once per quarter of the ring claimed
   * (the claim of positions 0, 16, 32... of a 64-slot ring), never per row.
   */
  @Test
  void consumerIsWokenOncePerQuarterOfTheRing() throws Exception {
    EventRing ring = new EventRing(64);
    java.util.concurrent.atomic.AtomicInteger wakeUps = new java.util.concurrent.atomic.AtomicInteger();
    Thread consumer = new Thread(() -> {
      while (wakeUps.get() < 3) {
        java.util.concurrent.locks.LockSupport.park();
        wakeUps.incrementAndGet();
      }
    });
    consumer.setDaemon(true);
    ring.wakeConsumer(consumer);
    consumer.start();
    for (int pos = 0; pos < 33; pos++) {
      awaitParked(consumer);
      int before = wakeUps.get();
      Slot s = ring.claim();
      ring.publish(s);
      ring.release(ring.poll()); // this thread plays the consumer's part for the slots
      if (pos % 16 == 0) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (wakeUps.get() == before && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals(before + 1, wakeUps.get(), "the claim of position " + pos + " starts a quarter: one wake-up");
      } else {
        assertEquals(before, wakeUps.get(), "position " + pos + ": no wake-up inside a quarter");
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

  @Test
  void concurrentProducers_neverLoseOrDuplicateAnAcceptedEvent() throws Exception {
    EventRing ring = new EventRing(1024);
    int producers = 4;
    int perProducer = 50_000;
    AtomicLong refused = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
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
          Slot s = ring.claim();
          if (s == null) {
            refused.incrementAndGet();
            continue;
          }
          s.threadId = id;
          s.threadSeq = i;
          ring.publish(s);
        }
      });
      threads[p].start();
    }
    Set<Long> seen = new HashSet<>();
    start.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long accepted;
    do {
      Slot s;
      while ((s = ring.poll()) != null) {
        assertTrue(seen.add(s.threadId * perProducer + s.threadSeq), "duplicate event");
        ring.release(s);
      }
      accepted = (long) producers * perProducer - refused.get();
    } while ((alive(threads) || seen.size() < accepted) && System.nanoTime() < deadline);
    assertEquals((long) producers * perProducer, seen.size() + refused.get());
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
