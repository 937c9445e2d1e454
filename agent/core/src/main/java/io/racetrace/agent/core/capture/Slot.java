package io.racetrace.agent.core.capture;

import io.racetrace.trace.TraceRow;

/**
 * One pre-allocated entry of the {@link EventRing}. An application thread fills the row with
 * agent-owned values only (primitives and strings it converted before claiming the slot); the
 * writer thread encodes the row and, on release, clears its references so a slot keeps no string
 * alive for a whole ring cycle.
 */
final class Slot {
  /**
   * Ring sequence: slot is free for position {@code p} when {@code seq == p}, readable when
   * {@code seq == p + 1}. Read with acquire, written with release semantics through {@link #SEQ}:
   * a release store publishes the row without the full fence of a volatile write.
   */
  volatile long seq;

  static final java.lang.invoke.VarHandle SEQ;

  static {
    try {
      SEQ = java.lang.invoke.MethodHandles.lookup().findVarHandle(Slot.class, "seq", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
  final TraceRow row = new TraceRow();

  Slot(long initialSeq) {
    this.seq = initialSeq;
  }

  void clearRefs() {
    row.requestId = null;
    row.key = null;
    row.detail = null;
  }
}
