package io.racetrace.agent.core;

/**
 * The agent's log: one line per message on the application's stderr, prefixed {@code [racetrace]}.
 * Errors are counted so tests can fail on a silent weaving error; debug lines only with
 * {@code debug=true}.
 */
public final class AgentLog {
  private static volatile boolean debug;
  private static final java.util.concurrent.atomic.AtomicLong ERRORS = new java.util.concurrent.atomic.AtomicLong();

  private AgentLog() {}

  public static void debug(boolean on) {
    debug = on;
  }

  public static boolean isDebug() {
    return debug;
  }

  public static void debug(String msg) {
    if (debug) {
      System.err.println("[racetrace] debug: " + msg);
    }
  }

  public static void info(String msg) {
    System.err.println("[racetrace] " + msg);
  }

  public static void warn(String msg) {
    System.err.println("[racetrace] warning: " + msg);
  }

  public static void error(String msg) {
    ERRORS.incrementAndGet();
    System.err.println("[racetrace] ERROR: " + msg);
  }

  public static long errors() {
    return ERRORS.get();
  }
}
