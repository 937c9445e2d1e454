package io.racetrace.agent.it;

import static io.racetrace.trace.TraceSchema.*;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceRow;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options that trade detail for overhead: call timing, and the overhead budget's key sampling. */
class CostControlIT {
  @TempDir Path tmp;

  @Test
  void callTimingFull_timesReadsAndWritesFromEntry() throws Exception {
    Path queue = tmp.resolve("queue");
    String agent = ForkedApp.agentArg(PremainIT.PROBES, queue) + ",callTiming=full";
    try (ForkedApp app = new ForkedApp(List.of(agent))) {
      app.send("script");
      app.await("script done");
      assertEquals(0, app.exit());
    }
    Capture c = Capture.read(queue);
    assertEquals(19, c.rows.size(), c.toString());
    for (TraceRow r : c.rows) {
      assertFalse(r.has(F_UNTIMED), r.toString());
    }
    // r1's request spans its read and write, which do not overlap each other.
    List<TraceRow> r1 = c.forRequest("r1");
    assertTrue(r1.get(0).endNanos <= r1.get(1).startNanos);
    assertTrue(r1.get(0).startNanos < r1.get(0).endNanos, "a read takes time: " + r1.get(0));
  }

  /**
   * A budget no agent can meet (0.1 % of CPU) under a busy load: the agent must lower its level,
   * say so in the capture, and from then on leave out whole keys, without seq gaps or unknown loss.
   */
  @Test
  void budget_exceeded_samplesWholeKeys_andSaysSo() throws Exception {
    Path queue = tmp.resolve("queue");
    String agent = ForkedApp.agentArg(PremainIT.PROBES, queue) + ",budget=0.1";
    long made;
    try (ForkedApp app = new ForkedApp(List.of(agent))) {
      app.send("load 6 20000"); // enough keys that some stay captured even at the lowest level (1 in 1024)
      made = Long.parseLong(app.await("load done").substring("load done ".length()).trim());
      assertEquals(0, app.exit());
      assertTrue(app.stderr().contains("[racetrace] warning: budget: the agent used"), app.stderr());
    }
    Capture c = Capture.read(queue);
    assertTrue(c.footer);

    // Sampling records: all keys at start, then at least one cut, levels only falling.
    assertTrue(c.sampling.size() >= 2, c.sampling.toString());
    SamplingChange first = c.sampling.get(0);
    assertEquals(SAMPLE_ALL, first.level());
    assertEquals(1, first.budgetPermille());
    for (int i = 1; i < c.sampling.size(); i++) {
      SamplingChange s = c.sampling.get(i);
      assertTrue(s.level() < c.sampling.get(i - 1).level(), c.sampling.toString());
      assertTrue(s.measuredPermille() > s.budgetPermille(), s.toString());
    }
    SamplingChange firstCut = c.sampling.get(1);
    int finalLevel = c.sampling.get(c.sampling.size() - 1).level();

    // Every row of a request carries its key's bucket; a key's bucket never varies.
    Map<String, Integer> bucketOf = new HashMap<>();
    long keptAfterCut = 0;
    long inFlightAtCut = 0;
    for (TraceRow r : c.rows) {
      assertTrue(r.has(F_KEY_BUCKET), r.toString());
      Integer prev = bucketOf.putIfAbsent(r.key, r.keyBucket);
      assertTrue(prev == null || prev == r.keyBucket, "one bucket per key: " + r);
      if (r.keyBucket >= finalLevel) {
        // The agent decides at request entry: a key left out at the end has no request that
        // started after its cut. A request in flight at the cut runs to its end, captured whole.
        if (r.kind == EventKind.REQUEST) {
          SamplingChange cut = cutOf(c.sampling, r.keyBucket);
          assertTrue(r.startNanos < cut.monoNanos(), "request of a key left out at " + cut + " started after the cut: " + r);
          if (r.endNanos > cut.monoNanos()) {
            inFlightAtCut++;
          }
        }
      } else if (r.endNanos > firstCut.monoNanos()) {
        keptAfterCut++;
      }
    }
    assertTrue(keptAfterCut > 0, "keys below the final level are still captured after the cut");
    assertRequestsWhole(c);
    System.out.println("CostControlIT: requests in flight at their key's cut: " + inFlightAtCut);

    // Rows left out are counted as sampled and take no sequence number, so every gap in a thread's
    // sequence is a row the writer could not keep up with (this load outruns it before the cut).
    assertTrue(c.counters.droppedSampled() > 0, c.counters.toString());
    assertEquals(0, c.counters.droppedDiskLow() + c.counters.droppedWriteError(), c.counters.toString());
    assertEquals(c.counters.rowsOffered(),
        c.counters.rowsWritten() + c.counters.droppedRingFull() + c.counters.droppedSampled());
    assertEquals(c.rows.size(), c.counters.rowsWritten());
    assertEquals(made * 3, c.counters.rowsOffered(), "request + read + write per reservation");
    Map<Long, Long> lastSeq = new HashMap<>();
    for (TraceRow r : c.rows) {
      Long prev = lastSeq.put(r.threadId, r.threadSeq);
      assertTrue(prev == null || r.threadSeq > prev, "per-thread sequence rises: " + r);
    }
    long sequenced = lastSeq.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(c.counters.rowsWritten() + c.counters.droppedRingFull(), sequenced,
        "sequence numbers count written and ring-full rows, never sampled ones");
    assertTrue(c.rows.stream().anyMatch(r -> r.kind == EventKind.WRITE && r.has(F_UNTIMED)));
  }

  /** The sampling change that left out keys of this bucket (the first whose level is at or below it). */
  private static SamplingChange cutOf(List<SamplingChange> sampling, int bucket) {
    return sampling.stream().filter(s -> s.level() <= bucket).findFirst().orElseThrow();
  }

  /**
   * Each load request is a read, a write and the request's own row, made in that order on one
   * thread; every row the agent keeps or drops for a full ring takes the thread's next sequence
   * number, a row left out by sampling takes none. So the two sequence numbers before a request's
   * row are its read and write: if either holds a row of another request, sampling took a row out
   * of a request it had kept.
   */
  private static void assertRequestsWhole(Capture c) {
    Map<Long, Map<Long, TraceRow>> bySeq = new HashMap<>();
    for (TraceRow r : c.rows) {
      bySeq.computeIfAbsent(r.threadId, t -> new HashMap<>()).put(r.threadSeq, r);
    }
    long checked = 0;
    for (TraceRow r : c.rows) {
      if (r.kind != EventKind.REQUEST) {
        continue;
      }
      Map<Long, TraceRow> thread = bySeq.get(r.threadId);
      for (long back = 1; back <= 2; back++) {
        TraceRow before = thread.get(r.threadSeq - back);
        if (before != null) {
          assertEquals(r.requestId, before.requestId, "a row of request " + r.requestId + " is missing: " + before + " precedes " + r);
          assertNotEquals(EventKind.REQUEST, before.kind, before.toString());
          checked++;
        }
      }
    }
    assertTrue(checked > 0, "no request could be checked for wholeness");
  }
}
