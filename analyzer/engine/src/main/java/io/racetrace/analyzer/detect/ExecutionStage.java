package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.correlate.ExecutionSink;
import io.racetrace.analyzer.correlate.Observed;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.util.Stages;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the detectors' work on completed executions on a thread of its own, the last stage of the
 * analyzer's pipeline: the correlator's thread keeps what it must answer at once (each read's
 * observed state, the key chains), and hands every completed execution to a second {@link
 * DetectorSet} here, which counts requests, checks duplicate confirmations (the dedup set's
 * random lookups, the largest single cost of a run), keeps the keys' ledgers, latency, queue
 * delay and retries. {@link #finish} folds that set into the first: the result is the one set fed
 * everything gives, since each detector's parts on rows and on executions keep separate state,
 * and a key's ledger (requests, confirmations) merges into the key's state ({@link KeyStates#merge}).
 *
 * <p>Why this split holds: an execution is handed over only once complete, after the last write
 * that could change it (a write held in a transaction completes its execution only when applied
 * or discarded); from then on the correlator's thread only reads it, and this thread writes only
 * what no one on the other thread reads ({@link Exec#answers}). Executions go over in batches
 * through a bounded queue, in completion order, so the order of their effects is unchanged and
 * memory stays a few thousand executions.
 *
 * <p>Failure handling: a throwable on this thread is kept and rethrown on the caller's thread at
 * the next hand-over or at {@link #finish}; {@link #close} stops the thread without waiting for
 * the rest (the analysis failed). The thread waits in slices of {@value #WAIT_MS} ms, so neither
 * side can wait forever on a peer that stopped.
 */
public final class ExecutionStage implements ExecutionSink, AutoCloseable {
  static final int BATCHES = 8;
  static final long WAIT_MS = 10;

  private final int batchSize;
  private final DetectorSet storage;
  private final DetectorSet executions;
  private final BlockingQueue<Exec[]> full = new ArrayBlockingQueue<>(BATCHES);
  private final BlockingQueue<Exec[]> free = new ArrayBlockingQueue<>(BATCHES);
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Throwable failure;
  private Exec[] batch;
  private int size;
  private boolean finished;

  /**
   * @param storage receives the rows, on the caller's thread; the result once {@link #finish}ed
   * @param executions an empty set with the same settings, for the completed executions
   * @param batchSize executions handed on at a time
   */
  public ExecutionStage(DetectorSet storage, DetectorSet executions, int batchSize) {
    this.storage = storage;
    this.executions = executions;
    this.batchSize = batchSize;
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Exec[batchSize + 1]); // + 1: room for the end mark
    }
    batch = free.poll();
    thread = new Thread(this::drain, "racetrace-executions");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void onArrival(Ev arrival) {
    storage.onArrival(arrival);
  }

  @Override
  public Observed onRead(Ev read, Exec exec) {
    return storage.onRead(read, exec);
  }

  @Override
  public int shownState(Ev read) {
    return storage.shownState(read);
  }

  @Override
  public void onWrite(Ev write, Exec exec, Observed read) {
    storage.onWrite(write, exec, read);
  }

  @Override
  public void onDiscardedWrite(Ev write, Exec exec) {
    storage.onDiscardedWrite(write, exec);
  }

  @Override
  public void onExecution(Exec exec) {
    batch[size++] = exec;
    if (size == batchSize) {
      handOver(batch);
      batch = take(free);
      size = 0;
    }
  }

  /** Hands on the last executions, waits for them, and returns the storage set with everything merged in. */
  public DetectorSet finish() {
    if (!finished) {
      finished = true;
      batch[size] = null; // the end: a short batch (onExecution hands on a full one at once)
      handOver(batch);
      join();
      rethrowFailure();
      storage.merge(executions);
    }
    return storage;
  }

  @Override
  public void close() {
    stopping = true;
    join();
  }

  private void drain() {
    try {
      while (true) {
        Exec[] b = take(full);
        if (b == null) {
          return; // stopping
        }
        int n = 0;
        while (n < batchSize && b[n] != null) {
          executions.onExecution(b[n]);
          b[n++] = null;
        }
        if (n < batchSize || !offer(free, b)) {
          return; // the end
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void handOver(Exec[] b) {
    if (!offer(full, b)) {
      rethrowFailure();
      throw new IllegalStateException("the executions' thread stopped");
    }
  }

  private Exec[] take(BlockingQueue<Exec[]> q) {
    try {
      while (!stopping && failure == null) {
        Exec[] b = q.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
        if (q == free && !thread.isAlive()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (q == free) {
      rethrowFailure();
      throw new IllegalStateException("the executions' thread stopped");
    }
    return null;
  }

  private boolean offer(BlockingQueue<Exec[]> q, Exec[] b) {
    try {
      while (!stopping && failure == null) {
        if (q.offer(b, WAIT_MS, TimeUnit.MILLISECONDS)) {
          return true;
        }
        if (q == full && !thread.isAlive()) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void join() {
    Stages.join(thread);
  }

  private void rethrowFailure() {
    Stages.rethrow(failure);
  }
}
