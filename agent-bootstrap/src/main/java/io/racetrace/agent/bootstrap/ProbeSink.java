package io.racetrace.agent.bootstrap;

/**
 * Implemented by the agent core, called through {@link Dispatcher} by woven code. Implementations
 * must never throw and never block: they run on application threads, inside the application's
 * methods.
 */
public interface ProbeSink {
  /** Entry of a request (or arrival) probe; returns the token handed back to the exit call. */
  long enterRequest(int probeId, Object self, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5);

  void exitRequest(int probeId, long token, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5);

  /** Entry of a read, write or attempt probe; returns the token handed back to the exit call. */
  long enterCall(int probeId);

  void exitCall(int probeId, long token, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5);

  /** An error thrown by advice code itself, caught by the advice's exception handler. */
  void adviceError(Throwable t);
}
