package io.racetrace.agent.bootstrap;

/**
 * Implemented by the agent core, called through {@link Dispatcher} by woven code. Implementations
 * must never throw and never block: they run on application threads, inside the application's
 * methods.
 *
 * <p>One entry point per probe role, each taking only the values that role's fields can be read
 * from. Which value of the call a field starts from (an argument, {@code this}, the return value)
 * is decided when the probe is woven, from the probe file's extractor paths; the advice passes
 * each field's root twice, so that primitives are never boxed: {@code xRef} is the root if it is a
 * reference (else null), {@code xBits} is the root widened to a long if it is a primitive (else
 * 0), and bit N of {@code mask} says the root of the N-th field of the signature is primitive. A
 * field the probe does not have is passed as null and 0. {@code thrown} is the probed method's
 * exception, or null.
 */
public interface ProbeSink {
  /** Entry of a request probe (fields: requestId, key); returns the token handed back to its exit. */
  long enterRequest(int probeId, int mask, Object idRef, long idBits, Object keyRef, long keyBits);

  /** Exit of a request probe (field: the result's source). */
  void exitRequest(int probeId, long token, int mask, Object resultRef, long resultBits, Throwable thrown);

  /** Entry of an arrival, read, write, attempt, commit or rollback probe; returns the token handed back to its exit. */
  long enterCall(int probeId);

  /** Exit of an arrival probe (fields: requestId, key). */
  void exitArrival(int probeId, long token, int mask, Object idRef, long idBits, Object keyRef, long keyBits,
      Throwable thrown);

  /** Exit of a read probe (fields: key, version, value). */
  void exitRead(int probeId, long token, int mask, Object keyRef, long keyBits, Object versionRef, long versionBits,
      Object valueRef, long valueBits, Throwable thrown);

  /** Exit of a write probe (fields: key, expectedVersion, writtenVersion, value, success, amount). */
  void exitWrite(int probeId, long token, int mask, Object keyRef, long keyBits, Object expectedRef, long expectedBits,
      Object writtenRef, long writtenBits, Object valueRef, long valueBits, Object successRef, long successBits,
      Object amountRef, long amountBits, Throwable thrown);

  /** Exit of an attempt probe: a new read-modify-write attempt begins in the current request. */
  void exitAttempt(int probeId, long token);

  /**
   * Exit of a commit or rollback probe: the thread's transaction ended. No values: the row takes
   * the enclosing request's id and key, and its outcome from {@code thrown}. The two roles share
   * this entry point; which boundary it is follows from the probe, as a row's kind does for the
   * other roles.
   */
  void exitTransaction(int probeId, long token, Throwable thrown);

  /** An error thrown by advice code itself, caught by the advice's exception handler. */
  void adviceError(Throwable t);
}
