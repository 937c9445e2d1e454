package io.racetrace.analyzer.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * ANSI escapes (only picocli's help uses them) only on a terminal. Picocli's {@link Ansi#AUTO}
 * turns them off when stdout is not one (no {@code System.console()}; {@code Console.isTerminal()}
 * on JDK 22+, where a console exists even when redirected); {@code NO_COLOR} set to anything
 * (no-color.org) and {@code --no-color} turn them off on a terminal too. Errors never carry them.
 */
public final class Colors {
  private Colors() {}

  public static Ansi ansi(Map<String, String> env) {
    return env.containsKey("NO_COLOR") ? Ansi.OFF : Ansi.AUTO;
  }

  /** For a command line and the commands under it, as the environment says. */
  public static void apply(CommandLine cl, Map<String, String> env) {
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi(env)));
  }

  /** What {@code --no-color} does: off for the whole command tree, whatever the terminal. */
  public static void off(CommandLine root) {
    root.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
  }
}
