package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.racetrace.trace.Result;

/** A result as spelled in a probe file ({@code success}, {@code conflict}, ...); checked as it is read. */
record ResultName(Result result) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ResultName of(String s) {
    try {
      Result r = Result.parse(s);
      if (r != Result.NONE) {
        return new ResultName(r);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("unknown result '" + s + "' (expected success, conflict, rejected, timeout or error)");
  }
}
