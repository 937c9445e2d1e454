package io.racetrace.agent.bootstrap;

/**
 * Static entry points that advice inlined into application methods calls. While no agent is
 * attached (before start, after detach) every call is one volatile read and a return.
 *
 * <p>Concurrency: {@link #sink} is published with a volatile write; a call that read the old sink
 * just before a detach completes against it, which the sink tolerates.
 */
public final class Dispatcher {
  /**
   * The version of this bridge (its classes' signatures), read by the premain of any later agent
   * attached to this JVM: the bridge stays on the bootstrap class path for the JVM's lifetime, so an
   * agent built against another version must refuse to start. Bump on any change to the bridge.
   */
  public static final int BRIDGE_VERSION = 7;

  private static volatile ProbeSink sink;

  private Dispatcher() {}

  public static void install(ProbeSink s) {
    sink = s;
  }

  /** Removes {@code s} if it is the installed sink; returns whether it was. */
  public static boolean uninstall(ProbeSink s) {
    synchronized (Dispatcher.class) {
      if (sink != s) {
        return false;
      }
      sink = null;
      return true;
    }
  }

  public static long enterRequest(int probeId, int mask, Object idRef, long idBits, Object keyRef, long keyBits) {
    ProbeSink s = sink;
    return s == null ? 0L : s.enterRequest(probeId, mask, idRef, idBits, keyRef, keyBits);
  }

  public static void exitRequest(int probeId, long token, int mask, Object resultRef, long resultBits, Throwable thrown) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitRequest(probeId, token, mask, resultRef, resultBits, thrown);
    }
  }

  public static long enterCall(int probeId) {
    ProbeSink s = sink;
    return s == null ? 0L : s.enterCall(probeId);
  }

  public static void exitArrival(int probeId, long token, int mask, Object idRef, long idBits, Object keyRef, long keyBits,
      Throwable thrown) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitArrival(probeId, token, mask, idRef, idBits, keyRef, keyBits, thrown);
    }
  }

  public static void exitRead(int probeId, long token, int mask, Object keyRef, long keyBits, Object versionRef,
      long versionBits, Object valueRef, long valueBits, Throwable thrown) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitRead(probeId, token, mask, keyRef, keyBits, versionRef, versionBits, valueRef, valueBits, thrown);
    }
  }

  public static void exitWrite(int probeId, long token, int mask, Object keyRef, long keyBits, Object expectedRef,
      long expectedBits, Object writtenRef, long writtenBits, Object valueRef, long valueBits, Object successRef,
      long successBits, Object amountRef, long amountBits, Throwable thrown) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitWrite(probeId, token, mask, keyRef, keyBits, expectedRef, expectedBits, writtenRef, writtenBits,
          valueRef, valueBits, successRef, successBits, amountRef, amountBits, thrown);
    }
  }

  public static void exitAttempt(int probeId, long token) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitAttempt(probeId, token);
    }
  }

  public static void exitTransaction(int probeId, long token, Throwable thrown) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitTransaction(probeId, token, thrown);
    }
  }

  /** Target of the advice exception handler: counts instead of letting the app see the error. */
  public static void adviceError(Throwable t) {
    ProbeSink s = sink;
    if (s != null) {
      s.adviceError(t);
    }
  }
}
