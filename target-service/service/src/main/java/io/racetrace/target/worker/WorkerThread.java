package io.racetrace.target.worker;

import io.racetrace.target.WorkerRestartException;
import java.util.concurrent.TimeUnit;

/**
 * A worker of one pool generation.
 *
 * <p>Failure handling: a restart does not interrupt workers. Interrupts reach JDBC drivers at
 * arbitrary points (H2 file stores close their channel on interrupt); instead a restart flips the
 * generation's stop flag, and the service checks it at safe points ({@link #checkNotStopped}: before
 * a write, before a commit) and in every injected wait ({@link #pause}). A request that already
 * committed is answered normally: a restart never loses a commit, it only rolls back what was not
 * committed yet.
 */
public final class WorkerThread extends Thread {
  private final Generation generation;

  WorkerThread(Generation generation, Runnable r, String name) {
    super(r, name);
    this.generation = generation;
    setDaemon(true);
  }

  public Generation generation() {
    return generation;
  }

  /** Throws {@link WorkerRestartException} if the calling worker's pool was restarted. */
  public static void checkNotStopped() {
    if (Thread.currentThread() instanceof WorkerThread w && w.generation.isStopped()) {
      throw new WorkerRestartException("worker pool generation " + w.generation.number() + " stopped");
    }
  }

  /**
   * Waits {@code millis}; on a worker, returns early by throwing {@link WorkerRestartException} if
   * the pool is restarted meanwhile. Off a worker thread (tests calling the service directly) it is a
   * plain sleep.
   */
  public static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      if (Thread.currentThread() instanceof WorkerThread w) {
        if (w.generation.awaitStop(millis, TimeUnit.MILLISECONDS)) {
          checkNotStopped();
        }
      } else {
        Thread.sleep(millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerRestartException("interrupted while waiting");
    }
  }
}
