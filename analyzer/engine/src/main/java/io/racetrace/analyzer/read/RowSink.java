package io.racetrace.analyzer.read;

/** Receives rows in merged time order. The {@link Ev} is recycled after the call returns. */
@FunctionalInterface
public interface RowSink {
  void accept(Ev e);
}
