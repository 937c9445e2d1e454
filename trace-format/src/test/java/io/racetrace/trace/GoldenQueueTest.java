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
 * {@code mvn -pl trace-format test -Dtest=GoldenQueueTest -Dracetrace.golden.write=v2}.
 */
class GoldenQueueTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  @Test
  void v1_readsBackExactly() throws Exception {
    Path q = GOLDEN.resolve("v1");
    assertTrue(Files.isDirectory(q), "golden queue missing: " + q.toAbsolutePath());
    List<TraceRow> rows = new ArrayList<>();
    List<TraceCursor.Record> kinds = new ArrayList<>();
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceCursor.Record r;
      while ((r = c.next()) != null) {
        kinds.add(r);
        if (r == TraceCursor.Record.ROW) {
          rows.add(c.row().copy());
        } else if (r == TraceCursor.Record.HEADER) {
          assertEquals(RoundTripTest.header(1), c.header());
        } else if (r == TraceCursor.Record.FOOTER) {
          assertEquals(new CaptureCounters(4, 4, 0, 0, 0, 0, 1, 0), c.counters());
        } else if (r == TraceCursor.Record.THREAD) {
          assertEquals("worker-31", c.threadName());
        } else if (r == TraceCursor.Record.PROBE) {
          assertEquals(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1), c.probe());
        }
      }
    }
    assertEquals(RoundTripTest.rows(), rows);
    assertEquals(List.of(TraceCursor.Record.HEADER, TraceCursor.Record.PROBE, TraceCursor.Record.THREAD,
        TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW,
        TraceCursor.Record.FOOTER), kinds);
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
    Path q = GOLDEN.resolve("v2");
    assertTrue(Files.isDirectory(q), "golden queue missing: " + q.toAbsolutePath());
    List<TraceRow> rows = new ArrayList<>();
    List<TraceCursor.Record> kinds = new ArrayList<>();
    List<SamplingChange> sampling = new ArrayList<>();
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceCursor.Record r;
      while ((r = c.next()) != null) {
        kinds.add(r);
        if (r == TraceCursor.Record.ROW) {
          rows.add(c.row().copy());
        } else if (r == TraceCursor.Record.HEADER) {
          assertEquals(RoundTripTest.header(2), c.header());
        } else if (r == TraceCursor.Record.SAMPLING) {
          sampling.add(c.sampling());
        } else if (r == TraceCursor.Record.FOOTER) {
          assertEquals(new CaptureCounters(9, 6, 0, 0, 0, 3, 0, 0), c.counters());
        }
      }
    }
    assertEquals(RoundTripTest.rowsV2(), rows);
    assertEquals(List.of(RoundTripTest.SAMPLING_START, RoundTripTest.SAMPLING_CUT), sampling);
    assertEquals(RoundTripTest.SAMPLING_CUT, TraceCursor.lastSampling(q));
    assertNull(TraceCursor.lastSampling(GOLDEN.resolve("v1")));
    assertEquals(List.of(TraceCursor.Record.HEADER, TraceCursor.Record.SAMPLING, TraceCursor.Record.PROBE,
        TraceCursor.Record.THREAD, TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW,
        TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.ROW, TraceCursor.Record.SAMPLING,
        TraceCursor.Record.FOOTER), kinds);
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
