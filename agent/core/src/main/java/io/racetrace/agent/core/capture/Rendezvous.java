package io.racetrace.agent.core.capture;

/**
 * Holds threads that read one key until {@code parties} of them have read it, then releases them
 * together, so that they all act on the same version: the interleaving of a lost update, on demand.
 * A thread waits at most {@code timeoutNanos}; a timed-out thread goes on alone and the round
 * starts over, so a reproducer can never hang the service.
 *
 * <p>Concurrency: a monitor; only reproduction runs use it.
 */
final class Rendezvous {
  private final int parties;
  private final long timeoutNanos;
  private int arrived;
  private long generation;

  Rendezvous(int parties, long timeoutNanos) {
    this.parties = parties;
    this.timeoutNanos = timeoutNanos;
  }

  /** Returns true when the thread met the others, false when it timed out. */
  synchronized boolean await() throws InterruptedException {
    long gen = generation;
    if (++arrived >= parties) {
      arrived = 0;
      generation++;
      notifyAll();
      return true;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    while (gen == generation) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        arrived--;
        return false;
      }
      wait(left / 1_000_000, (int) (left % 1_000_000));
    }
    return true;
  }
}
