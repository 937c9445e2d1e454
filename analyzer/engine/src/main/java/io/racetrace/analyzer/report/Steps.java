package io.racetrace.analyzer.report;

import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns evidence rows into {@link TimelineExample.Step}s, described in the validation plan's words. */
public final class Steps {
  private final long t0;
  private final List<String> workers;

  public Steps(long t0, List<String> workers) {
    this.t0 = t0;
    this.workers = workers;
  }

  public double ms(long wall) {
    long d = wall - t0;
    // Exact in long arithmetic; only an absurd timestamp (overflow) falls back to double.
    return ((wall ^ t0) & (wall ^ d)) < 0 ? ((double) wall - t0) / 1e6 : d / 1e6;
  }

  /** Steps for {@code rows} (nulls skipped), sorted by end time; lane = index of the row's request id. */
  public List<TimelineExample.Step> of(List<String> lanes, Ev... rows) {
    List<Ev> list = new ArrayList<>();
    for (Ev e : rows) {
      if (e != null && !list.contains(e)) {
        list.add(e);
      }
    }
    list.sort(Comparator.comparingLong((Ev e) -> e.endWall).thenComparingLong(e -> e.seq));
    List<TimelineExample.Step> out = new ArrayList<>();
    for (Ev e : list) {
      int lane = Math.max(0, lanes.indexOf(e.requestId));
      out.add(step(e, lane));
    }
    return out;
  }

  public TimelineExample.Step step(Ev e, int lane) {
    return new TimelineExample.Step(
        e.seq,
        lane,
        e.source < workers.size() ? workers.get(e.source) : "q" + e.source,
        e.threadId,
        e.kind.name(),
        e.result.name(),
        e.requestId,
        e.attempt,
        e.has(TraceSchema.F_READ_VERSION) ? e.readVersion : null,
        e.has(TraceSchema.F_EXPECTED_VERSION) ? e.expectedVersion : null,
        e.has(TraceSchema.F_WRITTEN_VERSION) ? e.writtenVersion : null,
        e.has(TraceSchema.F_VALUE) ? e.value : null,
        e.has(TraceSchema.F_AMOUNT) ? e.amount : null,
        e.startWall,
        e.endWall,
        ms(e.startWall),
        ms(e.endWall),
        describe(e));
  }

  /** "read I=1 (v7)", "write I=0 v8", "write takes 3", "conditional write expecting v7: conflict", "confirm". */
  public static String describe(Ev e) {
    StringBuilder sb = new StringBuilder();
    String value = e.has(TraceSchema.F_VALUE) ? (e.has(TraceSchema.F_VALUE_HASHED)
        ? "state#" + Long.toHexString(e.value & 0xffff) : "I=" + e.value) : null;
    if (e.kind == EventKind.READ) {
      sb.append("read");
      if (value != null) sb.append(' ').append(value);
      if (e.has(TraceSchema.F_READ_VERSION)) sb.append(" (v").append(e.readVersion).append(')');
    } else if (e.kind == EventKind.WRITE) {
      sb.append(e.has(TraceSchema.F_EXPECTED_VERSION) ? "conditional write" : "write");
      if (value != null) sb.append(' ').append(value);
      if (e.has(TraceSchema.F_AMOUNT)) sb.append(e.amount >= 0 ? " takes " + e.amount : " adds " + -e.amount);
      if (e.has(TraceSchema.F_WRITTEN_VERSION)) sb.append(" v").append(e.writtenVersion);
      if (e.has(TraceSchema.F_EXPECTED_VERSION)) sb.append(" if v").append(e.expectedVersion);
      if (e.result != Result.SUCCESS && e.result != Result.NONE) sb.append(": ").append(e.result.name().toLowerCase());
    } else if (e.kind == EventKind.REQUEST) {
      sb.append(switch (e.result) {
        case SUCCESS -> "confirm";
        case REJECTED -> "answer sold out";
        case CONFLICT -> "answer conflict";
        case TIMEOUT -> "answer timeout (5xx)";
        case ERROR -> "answer error (5xx)";
        default -> "answer";
      });
      if (e.attempt > 1) sb.append(" after ").append(e.attempt).append(" attempts");
    } else {
      sb.append("accepted into the worker queue");
    }
    if (e.has(TraceSchema.F_THROWN) && e.detail != null) sb.append(" [").append(e.detail).append(']');
    return sb.toString();
  }
}
