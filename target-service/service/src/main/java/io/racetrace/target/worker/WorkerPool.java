package io.racetrace.target.worker;

import io.racetrace.target.QueueFullException;
import io.racetrace.target.WorkerRestartException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bounded worker pool: {@code workers} threads and an {@link ArrayBlockingQueue} of
 * {@code queueCapacity}, so queue delay exists and can be measured, and a full queue is refused
 * (503) instead of growing without bound.
 *
 * <p>Concurrency: the current {@link Generation} sits behind an {@link AtomicReference}; arrivals
 * read it without locking. {@link #restart} is serialised by a lock and swaps in a new generation
 * before it fails the old queue, so work arriving during a restart goes to the new pool.
 *
 * <p>Failure handling: see {@link WorkerThread} for how in-flight work is cancelled.
 */
public final class WorkerPool implements AutoCloseable {
  private final int workers;
  private final int queueCapacity;
  private final String namePrefix;
  private final AtomicReference<Generation> current = new AtomicReference<>();
  private final Object restartLock = new Object();

  public WorkerPool(int workers, int queueCapacity, String namePrefix) {
    if (workers < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("workers and queue capacity must be >= 1");
    }
    this.workers = workers;
    this.queueCapacity = queueCapacity;
    this.namePrefix = namePrefix;
    current.set(newGeneration(1));
  }

  private Generation newGeneration(int number) {
    Generation g = new Generation(number);
    AtomicInteger seq = new AtomicInteger();
    ThreadPoolExecutor ex =
        new ThreadPoolExecutor(
            workers,
            workers,
            0L,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            r -> new WorkerThread(g, r, namePrefix + "-g" + number + "-w" + seq.incrementAndGet()),
            new ThreadPoolExecutor.AbortPolicy());
    ex.prestartAllCoreThreads();
    g.executor(ex);
    return g;
  }

  /**
   * Queues a task. Throws {@link QueueFullException} when the queue is full and
   * {@link WorkerRestartException} if the pool was shut down under us.
   */
  public void execute(Runnable task) {
    Generation g = current.get();
    try {
      g.executor().execute(task);
    } catch (RejectedExecutionException e) {
      if (g.executor().isShutdown()) {
        throw new WorkerRestartException("worker pool restarting");
      }
      throw new QueueFullException(queueCapacity);
    }
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public int workers() {
    return workers;
  }

  public int generation() {
    return current.get().number();
  }

  /** Tasks waiting in the queue right now. */
  public int queued() {
    return current.get().executor().getQueue().size();
  }

  /** Workers running a task right now (approximate, as {@link ThreadPoolExecutor#getActiveCount}). */
  public int active() {
    return current.get().executor().getActiveCount();
  }

  /**
   * Simulates a restart of the worker process: a fresh pool takes new arrivals, the old pool's
   * queued tasks are failed without running, its in-flight tasks are cancelled at their next safe
   * point, and we wait up to {@code awaitMillis} for its threads to finish.
   */
  public RestartReport restart(long awaitMillis) throws InterruptedException {
    synchronized (restartLock) {
      Generation old = current.get();
      current.set(newGeneration(old.number() + 1));
      ThreadPoolExecutor ex = old.executor();
      int inFlight = ex.getActiveCount();
      ex.shutdown();
      // Empty the queue while the old workers are still busy: releasing them first (stop()) would
      // let a freed worker take a queued task, which would then fail as in-flight, not as dropped.
      List<Runnable> queued = new ArrayList<>();
      ex.getQueue().drainTo(queued);
      old.stop();
      for (Runnable r : queued) {
        if (r instanceof DroppableTask t) {
          t.drop("worker restart: dropped from the queue of generation " + old.number());
        }
      }
      boolean drained = ex.awaitTermination(awaitMillis, TimeUnit.MILLISECONDS);
      return new RestartReport(old.number(), old.number() + 1, queued.size(), inFlight, drained);
    }
  }

  @Override
  public void close() {
    Generation g = current.get();
    g.stop();
    g.executor().shutdown();
    List<Runnable> queued = new ArrayList<>();
    g.executor().getQueue().drainTo(queued);
    for (Runnable r : queued) {
      if (r instanceof DroppableTask t) {
        t.drop("service shutting down");
      }
    }
    try {
      g.executor().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
