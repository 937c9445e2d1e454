package io.racetrace.agent.bootstrap;

/**
 * Implemented by the agent core, called through {@link Dispatcher} by woven code. Implementations
 * must never throw and never block: they run on application threads, inside the application's
 * methods.
 *
 * <p>Arguments come twice, so that primitives are never boxed: {@code aN} is argument N if it is
 * a reference (else null), {@code pN} is argument N widened to a long if it is a primitive (else
 * 0); bit N of {@code mask} says which. Bit {@link #RETURN_PRIMITIVE} says the return value is in
 * {@code retBits} rather than {@code returned}.
 */
public interface ProbeSink {
  int RETURN_PRIMITIVE = 1 << 6;

  /** Entry of a request probe; returns the token handed back to the exit call. */
  long enterRequest(int probeId, Object self, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5);

  void exitRequest(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5);

  /** Entry of an arrival, read, write or attempt probe; returns the token handed back to the exit call. */
  long enterCall(int probeId);

  void exitCall(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5);

  /** An error thrown by advice code itself, caught by the advice's exception handler. */
  void adviceError(Throwable t);
}
