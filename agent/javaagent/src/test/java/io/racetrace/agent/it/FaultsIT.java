package io.racetrace.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application keeps working, and the capture says what it lost, when things go wrong. */
class FaultsIT {
  @TempDir Path tmp;

  @Test
  void lowDiskSpace_dropsAndCountsRows_appUnaffected() throws Exception {
    Path queue = tmp.resolve("queue");
    // A threshold no disk meets: the guard reports low space from the first check.
    String agent = ForkedApp.agentArg(PremainIT.PROBES, queue) + ",minFreeMb=2000000000";
    try (ForkedApp app = new ForkedApp(List.of(agent))) {
      app.send("script");
      app.await("script done");
      assertEquals(0, app.exit());
    }
    Capture c = Capture.read(queue);
    assertEquals(0, c.rows.size());
    assertEquals(19, c.counters.droppedDiskLow(), "every row of the script is counted as dropped");
    assertEquals(19, c.counters.rowsOffered());
    assertTrue(c.footer);
  }

  @Test
  void unwritableQueueDirectory_isAOneLineRefusal_appUnaffected() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    Path queue = file.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PremainIT.PROBES, queue)))) {
      app.send("script");
      app.await("script done");
      assertEquals(0, app.exit());
      List<String> ours = app.stderr().lines().filter(l -> l.startsWith("[racetrace]")).toList();
      assertEquals(1, ours.size(), app.stderr());
      assertTrue(ours.get(0).startsWith("[racetrace] cannot open queue directory " + queue), ours.get(0));
      assertFalse(app.stderr().contains("\tat "), "no stack trace");
    }
  }

  @Test
  void ringBeyondDirectMemoryLimit_isAOneLineRefusal_appUnaffected() throws Exception {
    Path queue = tmp.resolve("queue");
    // The default ring is 4 MB of direct memory; this JVM allows 1 MB.
    try (ForkedApp app = new ForkedApp(List.of("-XX:MaxDirectMemorySize=1m", ForkedApp.agentArg(PremainIT.PROBES, queue)))) {
      app.send("script");
      app.await("script done");
      assertEquals(0, app.exit());
      List<String> ours = app.stderr().lines().filter(l -> l.startsWith("[racetrace]")).toList();
      assertEquals(1, ours.size(), app.stderr());
      assertTrue(ours.get(0).startsWith("[racetrace] cannot allocate the ring (ring=32768, 4 MB of direct memory)"),
          ours.get(0));
      assertTrue(ours.get(0).contains("ring="), ours.get(0));
      assertFalse(app.stderr().contains("\tat "), "no stack trace");
    }
  }

  @Test
  void killDashNine_leavesEveryCompleteRowReadable_withoutFooter() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PremainIT.PROBES, queue)))) {
      app.send("script");
      app.await("script done");
      // Kill only once the writer has drained every row to the queue: waiting on that, not on a
      // pause, keeps the test true on a machine busy enough to deschedule the writer for seconds.
      awaitRowsOnDisk(queue, 19);
      ProcessHandle.of(app.pid).orElseThrow().destroyForcibly();
      ProcessHandle.of(app.pid).ifPresent(p -> p.onExit().join());
    }
    Capture c = Capture.read(queue);
    assertFalse(c.footer, "killed JVMs write no footer: the analyzer reports the tail as unknown");
    assertEquals(19, c.rows.size(), c.toString());
    assertEquals(6, c.rows.stream().filter(r -> r.kind == EventKind.REQUEST).count());
  }

  /**
   * 100,000 requests, one in ten with a key whose toString and hashCode throw and a result whose
   * toString throws: every row is captured, and each failed conversion is counted exactly.
   */
  @Test
  void hostileKeysAndResults_oneInTen_everyOtherRowCaptured_errorsCountedExactly() throws Exception {
    Path queue = tmp.resolve("queue");
    Path probes = Path.of("src/test/resources/probes/hostile.yaml").toAbsolutePath();
    int n = 100_000;
    long hostile;
    // A ring larger than the whole run: no row can be dropped for a slow writer, so counts are exact.
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue) + ",ring=262144"))) {
      app.send("hostile " + n);
      hostile = Long.parseLong(app.await("hostile done").substring("hostile done ".length()).trim());
      assertEquals(0, app.exit());
    }
    assertEquals(n / 10, hostile);
    Capture c = Capture.read(queue);
    assertTrue(c.footer);
    assertEquals(2L * n, c.rows.size(), "a read and a request row for every request");
    assertEquals(0, c.counters.dropped(), c.counters.toString());
    assertEquals(0, c.counters.adviceErrors(), "nothing escaped to the advice's handler");
    // Per hostile request: the request's key, the read's key and the result.
    assertEquals(3 * hostile, c.counters.extractorErrors(), c.counters.toString());
    long keyless = c.rows.stream().filter(r -> r.key == null).count();
    assertEquals(2 * hostile, keyless);
    assertEquals(hostile, c.rows.stream().filter(r -> r.kind == EventKind.REQUEST && r.result == io.racetrace.trace.Result.NONE).count());
    assertEquals(n, c.rows.stream().filter(r -> r.kind == EventKind.REQUEST).map(r -> r.requestId).distinct().count(),
        "every request's own id");
  }

  /** Polls the live queue (a reader of its own, as the analyzer would be) until it holds {@code n} rows. */
  private static void awaitRowsOnDisk(Path queue, int n) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    int seen = -1;
    while (System.nanoTime() < deadline) {
      try {
        seen = Capture.read(queue).rows.size();
      } catch (Exception notYetReadable) {
        seen = -1;
      }
      if (seen >= n) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the writer drained " + seen + " of " + n + " rows within 60 s");
  }
}
