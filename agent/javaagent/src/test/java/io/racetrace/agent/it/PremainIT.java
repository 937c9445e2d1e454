package io.racetrace.agent.it;

import static io.racetrace.trace.TraceSchema.*;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent started with {@code -javaagent} on an app that knows nothing of it. */
class PremainIT {
  static final Path PROBES = Path.of("src/test/resources/probes/fixture.yaml").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void script_writesEveryRowFieldByField() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PROBES, queue)))) {
      app.send("script");
      app.await("script done");
      assertEquals(0, app.exit());
    }
    Capture c = Capture.read(queue);
    assertScript(c, "main");
    assertTrue(c.footer, "clean shutdown writes the footer");
    assertEquals(0, c.counters.dropped());
    assertEquals(c.rows.size(), c.counters.rowsWritten());
    assertEquals(0, c.counters.extractorErrors());
    assertEquals(0, c.counters.adviceErrors());
    assertEquals(1, c.headers.size());
    assertTrue(c.headers.get(0).probeSource().startsWith("fixture.yaml sha256:"), c.headers.get(0).probeSource());
    c.probes.values().forEach(p -> assertEquals(1, p.matchedMethods(), p.toString()));
  }

  @Test
  void classesOfAChildFirstLoader_areWovenToo() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PROBES, queue)))) {
      app.send("isolated");
      assertEquals("isolated loader child-first", app.await("isolated loader"));
      app.exit();
    }
    assertScript(Capture.read(queue), "main");
  }

  @Test
  void agentLibraries_areInvisibleToTheApplication() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PROBES, queue)))) {
      for (String cls : List.of("net.bytebuddy.ByteBuddy", "net.openhft.chronicle.queue.ChronicleQueue",
          "com.fasterxml.jackson.databind.ObjectMapper", "io.racetrace.agent.core.AgentStarter", "io.racetrace.trace.TraceRow")) {
        app.send("visible " + cls);
        assertEquals("visible " + cls + " false", app.await("visible " + cls));
      }
      // The bridge is meant to be visible everywhere, from the bootstrap class path.
      app.send("visible io.racetrace.agent.bootstrap.Dispatcher");
      assertEquals("visible io.racetrace.agent.bootstrap.Dispatcher true", app.await("visible io.racetrace.agent.bootstrap"));
      app.exit();
    }
  }

  @Test
  void throwingAndNullGetters_leaveTheAppCorrect_andAreCounted() throws Exception {
    Path probes = tmp.resolve("broken.yaml");
    java.nio.file.Files.writeString(probes, String.join("\n",
        "probes:",
        "  - role: request",
        "    class: io.racetrace.agent.fixture.ReservationLogic",
        "    method: reserve",
        "    requestId: arg0.getBroken()",
        "    key: arg0.getNothing()",
        "  - role: read",
        "    class: io.racetrace.agent.fixture.VersionedStore",
        "    method: read",
        "    value: return.quantity()",
        ""));
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue)))) {
      app.send("seed sku-1 2");
      app.await("ok");
      app.send("reserve a sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      app.send("reserve b sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      app.send("reserve c sku-1");
      assertEquals("result SOLD_OUT", app.await("result"));
      app.exit();
    }
    Capture c = Capture.read(queue);
    assertEquals(3, c.counters.extractorErrors(), "one throwing getter per request");
    List<TraceRow> requests = c.rows.stream().filter(r -> r.kind == EventKind.REQUEST).toList();
    assertEquals(3, requests.size());
    for (TraceRow r : requests) {
      assertNull(r.requestId);
      assertNull(r.key);
      assertFalse(r.has(F_REQUEST_ID) || r.has(F_KEY));
    }
    assertEquals(List.of(2L, 1L, 0L), c.rows.stream().filter(r -> r.kind == EventKind.READ).map(r -> r.value).toList());
  }

  @Test
  void malformedProbeFile_isOneLineNamingFileLineAndField_andTheAppRuns() throws Exception {
    Path probes = tmp.resolve("bad.yaml");
    java.nio.file.Files.writeString(probes, String.join("\n",
        "probes:",
        "  - role: read",
        "    class: io.racetrace.agent.fixture.VersionedStore",
        "    method: read",
        "    version: retrun.version()",
        ""));
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue)))) {
      app.send("seed sku-1 1");
      app.await("ok");
      app.send("reserve a sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      app.exit();
      List<String> ours = app.stderr().lines().filter(l -> l.startsWith("[racetrace]")).toList();
      assertEquals(List.of("[racetrace] " + probes + ":5: probes[0].version: bad extractor path 'retrun.version()':"
          + " it must start with argN, this, return or thrown, or be a number"), ours);
      assertFalse(app.stderr().contains("\tat "), "no stack trace");
    }
    assertFalse(java.nio.file.Files.exists(queue), "nothing is captured with a bad probe file");
  }

  @Test
  void probesThatMatchNothing_areReportedByName() throws Exception {
    Path probes = tmp.resolve("unmatched.yaml");
    java.nio.file.Files.writeString(probes, String.join("\n",
        "probes:",
        "  - name: typo-class",
        "    role: read",
        "    class: io.racetrace.agent.fixture.VersionedStor",
        "    method: read",
        "    value: return.quantity()",
        "  - name: typo-method",
        "    role: read",
        "    class: io.racetrace.agent.fixture.VersionedStore",
        "    method: raed",
        "    value: return.quantity()",
        ""));
    Path queue = tmp.resolve("queue");
    String err;
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes, queue)))) {
      app.send("script");
      app.await("script done");
      app.exit();
      err = app.stderr();
    }
    assertTrue(err.contains("[racetrace] warning: probe typo-class: class io.racetrace.agent.fixture.VersionedStor"
        + " is not on the class path"), err);
    assertTrue(err.contains("[racetrace] warning: probe typo-method: class io.racetrace.agent.fixture.VersionedStore"
        + " has no method matching raed"), err);
    assertTrue(err.contains("probe typo-class (io.racetrace.agent.fixture.VersionedStor#read) never matched a method"), err);
    Capture c = Capture.read(queue);
    assertEquals(0, c.probes.get(0).matchedMethods());
    assertEquals(0, c.probes.get(1).matchedMethods());
    assertEquals(0, c.rows.size());
  }

  /** The rows of {@code FixtureApp.script}, in the order the calls returned. */
  static void assertScript(Capture c, String mainThread) {
    List<TraceRow> r1 = c.forRequest("r1");
    assertEquals(3, r1.size(), c.toString());
    read(r1.get(0), "r1", "sku-1", 1, 0, 2);
    write(r1.get(1), "r1", "sku-1", 1, Result.SUCCESS, -1, 1, 1);
    request(r1.get(2), "r1", "sku-1", 1, Result.SUCCESS);
    assertEquals("write:VersionedStore.write", c.probeName(r1.get(1)));

    List<TraceRow> r2 = c.forRequest("r2");
    assertEquals(3, r2.size());
    read(r2.get(0), "r2", "sku-1", 1, 1, 1);
    write(r2.get(1), "r2", "sku-1", 1, Result.SUCCESS, -1, 2, 0);
    request(r2.get(2), "r2", "sku-1", 1, Result.SUCCESS);

    List<TraceRow> r3 = c.forRequest("r3");
    assertEquals(2, r3.size());
    read(r3.get(0), "r3", "sku-1", 1, 2, 0);
    request(r3.get(1), "r3", "sku-1", 1, Result.REJECTED);

    // Conditional: the competitor's write lands between r4's read and its compare-and-set.
    List<TraceRow> r4 = c.forRequest("r4");
    assertEquals(5, r4.size(), c.toString());
    read(r4.get(0), "r4", "sku-2", 1, 0, 5);
    write(r4.get(1), "r4", "sku-2", 1, Result.CONFLICT, 0, -1, 4);
    read(r4.get(2), "r4", "sku-2", 2, 1, 4);
    write(r4.get(3), "r4", "sku-2", 2, Result.SUCCESS, 1, -1, 3);
    request(r4.get(4), "r4", "sku-2", 2, Result.SUCCESS);
    assertEquals("conditional-request", c.probeName(r4.get(4)));
    TraceRow competitor = c.rows.stream().filter(r -> r.has(F_NO_REQUEST)).findFirst().orElseThrow();
    assertEquals(EventKind.WRITE, competitor.kind);
    assertEquals(Result.SUCCESS, competitor.result);
    assertNull(competitor.requestId);
    assertEquals("sku-2", competitor.key);
    assertEquals(0, competitor.expectedVersion);
    assertEquals(0, competitor.attempt);
    assertEquals("competitor", c.threads.get(competitor.threadId));
    assertTrue(competitor.startNanos > r4.get(0).endNanos && competitor.endNanos < r4.get(1).startNanos,
        "the competitor's write sits between r4's read and r4's write");

    // A boolean-result request whose nested reserve() is not a request of its own.
    List<TraceRow> r5 = c.forRequest("r5");
    assertEquals(3, r5.size(), c.toString());
    read(r5.get(0), "r5", "sku-2", 1, 2, 3);
    write(r5.get(1), "r5", "sku-2", 1, Result.SUCCESS, -1, 3, 2);
    request(r5.get(2), "r5", "sku-2", 1, Result.SUCCESS);
    assertEquals("request:ReservationLogic.tryReserve", c.probeName(r5.get(2)));

    // A request that throws: mapped by the probe file to timeout, with the exception class.
    List<TraceRow> r6 = c.forRequest("r6");
    assertEquals(2, r6.size());
    read(r6.get(0), "r6", "sku-2", 1, 3, 2);
    request(r6.get(1), "r6", "sku-2", 1, Result.TIMEOUT);
    assertTrue(r6.get(1).has(F_THROWN));
    assertEquals("java.lang.IllegalStateException", r6.get(1).detail);

    assertEquals(19, c.rows.size(), c.toString());
    // Per-thread sequence numbers have no gap; read precedes write in every window.
    long mainId = r1.get(0).threadId;
    assertEquals(mainThread, c.threads.get(mainId));
    long seq = 0;
    for (TraceRow r : c.rows) {
      if (r.threadId == mainId) {
        assertEquals(++seq, r.threadSeq, r.toString());
      }
      assertTrue(r.endNanos >= r.startNanos, r.toString());
      // Default callTiming=exit: one clock reading for reads and writes, two for requests.
      assertEquals(r.kind != EventKind.REQUEST, r.has(F_UNTIMED), r.toString());
      if (r.has(F_UNTIMED)) {
        assertEquals(r.startNanos, r.endNanos, r.toString());
      }
      assertFalse(r.has(F_KEY_BUCKET), "no bucket without a budget: " + r);
    }
    assertTrue(r1.get(0).endNanos <= r1.get(1).startNanos);
    assertTrue(r1.get(2).startNanos <= r1.get(0).startNanos && r1.get(2).endNanos >= r1.get(1).endNanos,
        "the request row spans its read and write");
  }

  static void read(TraceRow r, String id, String key, int attempt, long version, long value) {
    assertEquals(EventKind.READ, r.kind, r.toString());
    common(r, id, key, attempt);
    assertEquals(Result.NONE, r.result);
    assertTrue(r.has(F_READ_VERSION) && r.has(F_VALUE), r.toString());
    assertEquals(version, r.readVersion, r.toString());
    assertEquals(value, r.value, r.toString());
  }

  /** {@code expected} or {@code written} of -1: that field must be absent. */
  static void write(TraceRow r, String id, String key, int attempt, Result result, long expected, long written, long value) {
    assertEquals(EventKind.WRITE, r.kind, r.toString());
    common(r, id, key, attempt);
    assertEquals(result, r.result, r.toString());
    assertEquals(expected >= 0, r.has(F_EXPECTED_VERSION), r.toString());
    assertEquals(written >= 0, r.has(F_WRITTEN_VERSION), r.toString());
    if (expected >= 0) assertEquals(expected, r.expectedVersion, r.toString());
    if (written >= 0) assertEquals(written, r.writtenVersion, r.toString());
    assertEquals(value, r.value, r.toString());
  }

  static void request(TraceRow r, String id, String key, int attempts, Result result) {
    assertEquals(EventKind.REQUEST, r.kind, r.toString());
    common(r, id, key, attempts);
    assertEquals(result, r.result, r.toString());
  }

  private static void common(TraceRow r, String id, String key, int attempt) {
    assertEquals(id, r.requestId, r.toString());
    assertEquals(key, r.key, r.toString());
    assertEquals(attempt, r.attempt, r.toString());
    assertFalse(r.has(F_NO_REQUEST), r.toString());
  }
}
