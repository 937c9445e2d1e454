package io.racetrace.analyzer.differential;

import io.racetrace.analyzer.TraceBuilder;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;

/**
 * One row of a simulated history as the agent would write it, times in ticks of {@link
 * Simulation#TICK_US}; {@code store} notes the store after the step (not in the capture).
 */
public record Row(int worker, EventKind kind, Result result, long thread, String req, String key, int attempt,
    long startTick, long endTick, Long readVersion, Long expected, Long written, Long value, Long amount, String thrown,
    String store) {
  void emit(TraceBuilder b) {
    TraceRow r = b.add(kind, result, thread, req, key, startTick * Simulation.TICK_US, endTick * Simulation.TICK_US);
    r.attempt = attempt;
    if (kind != EventKind.REQUEST) {
      r.flags |= TraceSchema.F_UNTIMED; // callTiming=exit, the default: stamped once, at exit
    }
    if (readVersion != null) {
      r.readVersion(readVersion);
    }
    if (expected != null) {
      r.expectedVersion(expected);
    }
    if (written != null) {
      r.writtenVersion(written);
    }
    if (value != null) {
      r.value(value);
    }
    if (amount != null) {
      r.amount(amount);
    }
    if (thrown != null) {
      r.detail(thrown);
      r.flags |= TraceSchema.F_THROWN;
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(endTick).append(": w").append(worker).append(" t").append(thread)
        .append(' ').append(kind).append(' ').append(result);
    sb.append(req == TraceBuilder.NO_ID ? " (no id)" : req == null ? " (outside)" : " " + req);
    sb.append(' ').append(key).append(" a").append(attempt);
    if (kind == EventKind.REQUEST) {
      sb.append(" from ").append(startTick);
    }
    if (readVersion != null) sb.append(" readV=").append(readVersion);
    if (expected != null) sb.append(" expV=").append(expected);
    if (written != null) sb.append(" wroteV=").append(written);
    if (value != null) sb.append(" value=").append(value);
    if (amount != null) sb.append(" amount=").append(amount);
    if (thrown != null) sb.append(" threw ").append(thrown);
    return store == null ? sb.toString() : sb.append("  | ").append(store).toString();
  }
}
