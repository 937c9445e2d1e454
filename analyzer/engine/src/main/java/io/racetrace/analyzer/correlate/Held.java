package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.TraceSchema;

/** A write held until its thread's transaction ends: its row, its execution, its window's read. */
final class Held {
  final Ev write;
  final Exec exec;
  final Observed read;
  static final int SHOWN = 0;
  static final int DIFFERS = 1;
  static final int INCOMPARABLE = 2;

  /** Not yet applied or discarded. */
  boolean pending = true;

  Held(Ev write, Exec exec, Observed read) {
    this.write = write;
    this.exec = exec;
    this.read = read;
  }

  /**
   * Whether {@code r} shows this write's result: {@link #SHOWN} if they carry a field in common
   * (the written version, the value) and every such field is equal, {@link #INCOMPARABLE} if they
   * carry none, else {@link #DIFFERS}. (That the state before the write showed the same is ruled
   * out by the caller, from what is known of the key's current state.)
   */
  int shownBy(Ev r) {
    Ev w = write;
    boolean compared = false;
    if (r.has(TraceSchema.F_READ_VERSION) && w.has(TraceSchema.F_WRITTEN_VERSION)) {
      if (r.readVersion != w.writtenVersion) {
        return DIFFERS;
      }
      compared = true;
    }
    if (r.has(TraceSchema.F_VALUE) && w.has(TraceSchema.F_VALUE)) {
      if (r.value != w.value) {
        return DIFFERS;
      }
      compared = true;
    }
    return compared ? SHOWN : INCOMPARABLE;
  }
}
