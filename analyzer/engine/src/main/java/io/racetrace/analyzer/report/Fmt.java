package io.racetrace.analyzer.report;

import java.util.Locale;

/** Number formatting shared by the Markdown and HTML reports. */
final class Fmt {
  private Fmt() {}

  static String ms(Double v) {
    if (v == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.3f" : "%.1f", v);
  }

  /** A time on a timeline: milliseconds with microsecond digits. */
  static String t(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  /** An axis label for a time in ms: seconds once the axis spans more than ten seconds. */
  static String axisTime(double ms, double span) {
    if (span > 10_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }
    return String.format(Locale.ROOT, span > 100 ? "%.0f ms" : "%.3f ms", ms);
  }

  static String pct(Double share) {
    return share == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", share * 100);
  }

  static String num(Double v) {
    if (v == null) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", v.longValue());
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** Escapes text for a Markdown table cell. */
  static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }

  /** Escapes text for HTML and SVG: the document renderer's escaping, so pages and charts agree. */
  static String html(String s) {
    return s == null ? "" : io.racetrace.analyzer.doc.DocHtml.esc(s);
  }

  static String decisionLabel(String decision) {
    return switch (decision) {
      case "release" -> "Release (staged rollout)";
      case "canary" -> "Release to canary only";
      case "do_not_release" -> "Do not release";
      case "recapture" -> "No verdict: recapture";
      default -> decision;
    };
  }

  /** A percentage (0-100) with at most three decimals: "50%", "12.5%". */
  static String percent(Double v) {
    if (v == null) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    return (s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s) + "%";
  }

  /** When a worker first lowered its sampling level: seconds after its start, and the instant. */
  static String firstCut(io.racetrace.analyzer.model.Results.SamplingWorker w) {
    if (w.firstCutWallNanos() == null) {
      return w.sampled() ? "never" : "n/a";
    }
    String at = java.time.Instant.ofEpochSecond(0, w.firstCutWallNanos()).toString();
    Double s = w.firstCutAfterSeconds();
    return s == null ? at : s < 1 ? String.format(Locale.ROOT, "%.3f ms after start (%s)", s * 1e3, at)
        : String.format(Locale.ROOT, "%.3f s after start (%s)", s, at);
  }

  /** A queue's drop count; rows not captured by key sampling (known loss) are named apart. */
  static String dropped(io.racetrace.analyzer.model.Results.CountersInfo c) {
    if (c == null) {
      return "n/a";
    }
    return c.droppedSampled() == 0 ? n(c.dropped()) : n(c.dropped()) + " (" + n(c.droppedSampled()) + " by key sampling)";
  }

  /** The warm-up the latency figures leave out, as a sentence with a leading space; empty without one. */
  static String warmup(io.racetrace.analyzer.model.Results.Warmup w) {
    if (w == null) {
      return "";
    }
    return " The first " + num(w.seconds()) + " s after the capture began are a warm-up (the JIT recompiles woven"
        + " methods after an attach): its " + n(w.requests()) + " requests are not in these figures"
        + (w.maxLatencyMs() == null ? "" : " (slowest " + ms(w.maxLatencyMs()) + " ms"
            + (w.maxQueueDelayMs() == null ? "" : ", largest queue delay " + ms(w.maxQueueDelayMs()) + " ms") + ")")
        + ".";
  }
}
