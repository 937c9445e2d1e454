package io.racetrace.trace;

/**
 * System properties Chronicle reads in its static initialisers. They must be set before the first
 * Chronicle class loads, so every entry point (agent, analyzer, tests) calls {@link #apply()}
 * first. They are JVM-global: inside an application that uses Chronicle itself they apply to it
 * too, which is why we only ever turn things off and never override a value already set.
 */
public final class ChronicleSettings {
  private static final String[][] DEFAULTS = {
    {"chronicle.analytics.disable", "true"}, // no usage analytics: these machines have no network
    {"chronicle.announcer.disable", "true"}, // no banner in the application's stdout
    {"chronicle.disk.monitor.disable", "true"}, // we watch free space ourselves (DiskGuard)
    {"chronicle.queue.report.linear.scan", "false"},
    {"jvm.resource.tracing", "false"},
    {"disable.thread.safety", "false"},
  };

  private ChronicleSettings() {}

  public static void apply() {
    for (String[] kv : DEFAULTS) {
      if (System.getProperty(kv[0]) == null) {
        System.setProperty(kv[0], kv[1]);
      }
    }
  }
}
