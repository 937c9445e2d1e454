package io.racetrace.agent.core;

/**
 * The agent's log: one line per message on the application's stderr, prefixed {@code [racetrace]}.
 * Errors carry an {@code ERROR} marker that the forked-JVM tests fail on; debug lines only with
 * {@code debug=true}.
 */
public final class AgentLog {
  private static volatile boolean debug;

  private AgentLog() {}

  public static void debug(boolean on) {
    debug = on;
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
    System.err.println("[racetrace] ERROR: " + msg);
  }
}
