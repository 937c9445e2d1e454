package io.racetrace.target.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One incarnation of the worker pool: an executor plus the flag a restart flips. */
public final class Generation {
  private final int number;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile ThreadPoolExecutor executor;

  Generation(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  ThreadPoolExecutor executor() {
    return executor;
  }

  void executor(ThreadPoolExecutor e) {
    this.executor = e;
  }

  public boolean isStopped() {
    return stop.getCount() == 0;
  }

  void stop() {
    stop.countDown();
  }

  boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
    return stop.await(timeout, unit);
  }
}
