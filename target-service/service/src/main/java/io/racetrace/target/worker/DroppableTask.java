package io.racetrace.target.worker;

/** A queued task that a restart can fail instead of running. */
public interface DroppableTask extends Runnable {
  /** Called once, on the restarting thread, for a task that never started. */
  void drop(String reason);
}
