package io.racetrace.analyzer.cli;

import io.racetrace.analyzer.read.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The analysis's progress on stderr: rows read of the rows the queues hold, the rate, and the
 * time left at that rate, at most once a second, and a last line with the totals. On a terminal
 * one line is rewritten in place with a carriage return (no ANSI escapes); elsewhere (asked for
 * with {@code --progress}) each update is a line of its own.
 */
final class ProgressLine implements Progress {
  private final PrintWriter err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastPrint = start;

  ProgressLine(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void rows(long read, long total, boolean done) {
    long now = System.nanoTime();
    if (!done && now - lastPrint < 1_000_000_000L) {
      return;
    }
    lastPrint = now;
    double secs = Math.max(1e-9, (now - start) / 1e9);
    double rate = read / secs;
    String line;
    if (done) {
      line = String.format(Locale.ROOT, "racetrace analyze: read %,d rows in %.1f s (%s rows/s)", read, secs,
          millions(rate));
    } else {
      long left = Math.max(0, total - read);
      line = String.format(Locale.ROOT, "racetrace analyze: %s of %s rows (%.0f %%), %s rows/s, about %.0f s left",
          millions(read), millions(total), total > 0 ? 100.0 * read / total : 0, millions(rate),
          rate > 0 ? left / rate : 0);
    }
    if (terminal) {
      err.print("\r" + line + (done ? System.lineSeparator() : ""));
    } else {
      err.println(line);
    }
    err.flush();
  }

  static String millions(double n) {
    return n >= 1e6 ? String.format(Locale.ROOT, "%.1f M", n / 1e6) : String.format(Locale.ROOT, "%,.0f", n);
  }
}
