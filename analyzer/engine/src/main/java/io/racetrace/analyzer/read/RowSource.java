package io.racetrace.analyzer.read;

import io.racetrace.trace.TraceFormatException;

/** The rows of one queue, in the order it holds them: what {@link MergedReader} merges. */
public interface RowSource {
  /** Fills {@code into} with the next row; {@code false} at the end of the queue. */
  boolean next(Ev into) throws TraceFormatException;
}
