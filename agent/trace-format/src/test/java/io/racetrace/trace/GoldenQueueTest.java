package io.racetrace.trace;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Captures written by each released schema version, checked in and read back forever, so a
 * change of the format cannot silently break old captures (as HdrHistogram does with its log
 * versions). Regenerate only when adding a new version:
 * {@code mvn -pl agent/trace-format test -Dtest=GoldenQueueTest -Dracetrace.golden.write=v2}.
 */
class GoldenQueueTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  /** Everything a golden queue holds, in order. */
  record Golden(List<TraceCursor.Record> kinds, List<TraceRow> rows, List<WorkerHeader> headers,
      List<CaptureCounters> footers, List<String> threads, List<ProbeStatus> probes, List<SamplingChange> sampling) {}

  static Golden read(String version) throws Exception {
    Path q = GOLDEN.resolve(version);
    assertTrue(Files.isDirectory(q), "golden queue missing: " + q.toAbsolutePath());
    Golden g = new Golden(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>());
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceCursor.Record r;
      while ((r = c.next()) != null) {
        g.kinds.add(r);
        switch (r) {
          case ROW -> g.rows.add(c.row().copy());
          case HEADER -> g.headers.add(c.header());
          case FOOTER -> g.footers.add(c.counters());
          case THREAD -> g.threads.add(c.threadName());
          case PROBE -> g.probes.add(c.probe());
          case SAMPLING -> g.sampling.add(c.sampling());
          default -> { }
        }
      }
    }
    return g;
  }

  @Test
  void v1_readsBackExactly() throws Exception {
    Golden g = read("v1");
    assertEquals(List.of(RoundTripTest.header(1)), g.headers);
    assertEquals(List.of(new CaptureCounters(4, 4, 0, 0, 0, 0, 1, 0)), g.footers);
    assertEquals(List.of("worker-31"), g.threads);
    assertEquals(List.of(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1)), g.probes);
    assertEquals(RoundTripTest.rows(), g.rows);
    assertEquals(List.of(TraceCursor.Record.HEADER, TraceCursor.Record.PROBE, TraceCursor.Record.THREAD,
        TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW,
        TraceCursor.Record.FOOTER), g.kinds);
  }

  @Test
  @EnabledIfSystemProperty(named = "racetrace.golden.write", matches = "v1")
  void writeV1() throws Exception {
    Path q = GOLDEN.resolve("v1");
    try (TraceQueueWriter w = TraceQueueWriter.open(q, 64 << 10)) {
      w.header(RoundTripTest.header());
      w.probe(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1));
      w.thread(31, "worker-31");
      try (TraceQueueWriter.RowBatch b = w.rows()) {
        for (TraceRow r : RoundTripTest.rows()) {
          b.add(r);
        }
      }
      w.footer(new CaptureCounters(4, 4, 0, 0, 0, 0, 1, 0));
    }
  }

  @Test
  void v2_readsBackExactly() throws Exception {
    Golden g = read("v2");
    assertEquals(List.of(RoundTripTest.header(2)), g.headers);
    assertEquals(List.of(new CaptureCounters(9, 6, 0, 0, 0, 3, 0, 0)), g.footers);
    assertEquals(RoundTripTest.rowsV2(), g.rows);
    assertEquals(List.of(RoundTripTest.SAMPLING_START, RoundTripTest.SAMPLING_CUT), g.sampling);
    assertEquals(RoundTripTest.SAMPLING_CUT, TraceCursor.lastSampling(GOLDEN.resolve("v2")));
    assertNull(TraceCursor.lastSampling(GOLDEN.resolve("v1")));
    assertEquals(List.of(TraceCursor.Record.HEADER, TraceCursor.Record.SAMPLING, TraceCursor.Record.PROBE,
        TraceCursor.Record.THREAD, TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW,
        TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.SAMPLING,
        TraceCursor.Record.FOOTER), g.kinds);
  }

  @Test
  @EnabledIfSystemProperty(named = "racetrace.golden.write", matches = "v2")
  void writeV2() throws Exception {
    Path q = GOLDEN.resolve("v2");
    try (TraceQueueWriter w = TraceQueueWriter.open(q, 64 << 10)) {
      w.header(RoundTripTest.header(2));
      w.sampling(RoundTripTest.SAMPLING_START);
      w.probe(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1));
      w.thread(31, "worker-31");
      try (TraceQueueWriter.RowBatch b = w.rows()) {
        for (TraceRow r : RoundTripTest.rowsV2()) {
          b.add(r);
        }
      }
      w.sampling(RoundTripTest.SAMPLING_CUT);
      w.footer(new CaptureCounters(9, 6, 0, 0, 0, 3, 0, 0));
    }
  }
}
