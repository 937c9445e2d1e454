package io.racetrace.analyzer.correlate;

import java.util.List;

/** A held write's dependency: {@code before}, held by {@code holder}, had to end first. */
record Dep(Correlator.ThreadCtx holder, Held before) {
  boolean open() {
    return before.pending;
  }

  /** The first dependency still open, or null. */
  static Dep firstOpen(List<Dep> deps) {
    if (deps != null) {
      for (Dep d : deps) {
        if (d.open()) {
          return d;
        }
      }
    }
    return null;
  }
}
