package io.racetrace.analyzer.util;

/** What the analyzer's pipeline stages ({@code ReadAhead}, {@code ExecutionStage}) share about their threads. */
public final class Stages {
  private Stages() {}

  /** Waits for {@code t} to end; an interrupt meanwhile is kept for the caller, not lost. */
  public static void join(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Throws {@code t} (caught on a stage's thread) on the caller's, unchanged where unchecked; nothing if null. */
  public static void rethrow(Throwable t) {
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }
}
