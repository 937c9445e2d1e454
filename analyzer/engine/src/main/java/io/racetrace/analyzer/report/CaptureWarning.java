package io.racetrace.analyzer.report;

import io.racetrace.analyzer.model.Results.Completeness;

/** The banner at the top of every report over a capture that is not known to be complete. */
final class CaptureWarning {
  private CaptureWarning() {}

  static String text(Completeness c) {
    return switch (c.verdict()) {
      case "invalid" -> String.format(java.util.Locale.ROOT, "INCOMPLETE CAPTURE: %,d rows are known to be missing"
          + " (%.3f%% of rows captured). Every count below is a lower bound and this report cannot be a clean pass. %s",
          c.rowsKnownMissing(), c.capturedShare() * 100, c.reasons().isEmpty() ? "" : c.reasons().get(0) + ".");
      case "unknown" -> "Capture completeness unknown: " + String.join("; ", c.reasons().subList(0,
          Math.min(2, c.reasons().size()))) + ". The release decision is at best conditional.";
      default -> null;
    };
  }
}
