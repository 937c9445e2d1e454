package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.bootstrap.ThreadContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The bootstrap's per-thread context: its id-indexed cache must never hand one thread another's context. */
class ThreadContextCacheTest {
  @Test
  void everyThread_getsItsOwnContext_evenWhenCacheSlotsCollide() throws Exception {
    // More live threads than cache slots: ids collide in the cache, and the threads interleave.
    int n = 1500;
    CountDownLatch allStarted = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    Set<ThreadContext> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        ThreadContext mine = ThreadContext.current();
        mine.seq = Thread.currentThread().getId();
        allStarted.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int k = 0; k < 200; k++) {
          ThreadContext c = ThreadContext.current();
          if (c != mine || c.seq != Thread.currentThread().getId()) {
            failure.compareAndSet(null, "thread " + Thread.currentThread().getId() + " got another context");
          }
          Thread.yield();
        }
        seen.add(mine);
      });
      threads.add(t);
      t.start();
    }
    allStarted.await();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertNull(failure.get());
    assertEquals(n, seen.size(), "one context per thread");
  }
}
