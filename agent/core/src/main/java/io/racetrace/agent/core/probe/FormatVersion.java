package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The {@code version} of a probe file; checked as it is read, so an error names its line. */
record FormatVersion(int value) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static FormatVersion of(int v) {
    if (v != ProbeFile.FORMAT_VERSION) {
      throw new IllegalArgumentException("probe file version " + v + " is not supported (this agent reads version "
          + ProbeFile.FORMAT_VERSION + ")");
    }
    return new FormatVersion(v);
  }
}
