package io.racetrace.agent.core.probe;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 500us}. */
public final class Durations {
  private static final Pattern P = Pattern.compile("([0-9]+)(ns|us|ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String s, String field) {
    Matcher m = P.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(field + ": bad duration '" + s + "' (e.g. 250ms, 2s, 1m)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ns": return Duration.ofNanos(n);
      case "us": return Duration.ofNanos(n * 1000);
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      default: return Duration.ofHours(n);
    }
  }
}
