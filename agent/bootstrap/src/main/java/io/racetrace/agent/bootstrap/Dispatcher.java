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
  public static final int BRIDGE_VERSION = 2;

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

  public static long enterRequest(int probeId, Object self, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ProbeSink s = sink;
    return s == null ? 0L : s.enterRequest(probeId, self, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
  }

  public static void exitRequest(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitRequest(probeId, token, self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
    }
  }

  public static long enterCall(int probeId) {
    ProbeSink s = sink;
    return s == null ? 0L : s.enterCall(probeId);
  }

  public static void exitCall(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ProbeSink s = sink;
    if (s != null) {
      s.exitCall(probeId, token, self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
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
