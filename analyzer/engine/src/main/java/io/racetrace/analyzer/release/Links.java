package io.racetrace.analyzer.release;

import java.nio.file.Path;

/** Links from the package's directory to a phase's report.html (relative, so the run directory can move). */
final class Links {
  private final Path from;

  Links(Path releaseDir) {
    this.from = releaseDir.toAbsolutePath().normalize();
  }

  /** {@code PHASE_DIR/report.html#anchor}, relative to the package; no anchor when {@code anchor} is null. */
  String report(Phase p, String anchor) {
    Path to = p.dir().toAbsolutePath().normalize().resolve("report.html");
    String rel = from.relativize(to).toString().replace('\\', '/');
    return anchor == null ? rel : rel + "#" + anchor;
  }
}
