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
      claimed[i].row.threadSeq = i;
    }
    assertNull(ring.claim(), "full");
    assertNull(ring.poll(), "nothing published yet");
    ring.publish(claimed[1]);
    assertNull(ring.poll(), "the consumer waits for slot 0, published in order of claim");
    ring.publish(claimed[0]);
    Slot s = ring.poll();
    assertEquals(0, s.row.threadSeq);
    ring.release(s);
    assertEquals(1, ring.poll().row.threadSeq);
    assertNotNull(ring.claim(), "a released slot can be claimed again");
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
          s.row.threadId = id;
          s.row.threadSeq = i;
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
        assertTrue(seen.add(s.row.threadId * perProducer + s.row.threadSeq), "duplicate event");
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
