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
 * versions). Write only the new version's queue, once, when adding that version:
 * {@code mvn -pl agent/trace-format test -Dtest=GoldenQueueTest -Dracetrace.golden.write=v3}. The
 * writers of older versions stay as the record of what their queues hold; the writer stamps
 * records with the current version, so they would no longer make those queues.
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
  void v3_readsBackExactly() throws Exception {
    Golden g = read("v3");
    assertEquals(List.of(RoundTripTest.header(3)), g.headers);
    assertEquals(List.of(new CaptureCounters(14, 11, 0, 0, 0, 3, 0, 0)), g.footers);
    assertEquals(RoundTripTest.rowsV3(), g.rows);
    assertEquals(List.of(3L, -40L, 0L, Long.MAX_VALUE, Long.MIN_VALUE + 1),
        g.rows.stream().filter(r -> r.has(TraceSchema.F_AMOUNT)).map(r -> r.amount).toList());
    assertEquals(List.of(RoundTripTest.SAMPLING_START, RoundTripTest.SAMPLING_CUT), g.sampling);
    List<TraceCursor.Record> kinds = new ArrayList<>(List.of(TraceCursor.Record.HEADER, TraceCursor.Record.SAMPLING,
        TraceCursor.Record.PROBE, TraceCursor.Record.PROBE, TraceCursor.Record.THREAD));
    RoundTripTest.rowsV3().forEach(r -> kinds.add(TraceCursor.Record.ROW));
    kinds.addAll(List.of(TraceCursor.Record.SAMPLING, TraceCursor.Record.FOOTER));
    assertEquals(kinds, g.kinds);
    assertEquals(List.of(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1),
        new ProbeStatus(4, "debit", "write", "com.acme.Accounts#debit", 1)), g.probes);
  }

  @Test
  void v4_readsBackExactly() throws Exception {
    Golden g = read("v4");
    assertEquals(List.of(RoundTripTest.header(4)), g.headers);
    assertEquals(List.of(new CaptureCounters(19, 16, 0, 0, 0, 3, 0, 0)), g.footers);
    assertEquals(RoundTripTest.rowsV4(), g.rows);
    assertEquals(List.of(EventKind.COMMIT, EventKind.ROLLBACK, EventKind.COMMIT), g.rows.stream()
        .map(r -> r.kind).filter(k -> k == EventKind.COMMIT || k == EventKind.ROLLBACK).toList());
    assertEquals(List.of(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1),
        new ProbeStatus(4, "debit", "write", "com.acme.Accounts#debit", 1),
        new ProbeStatus(5, "commit", "commit", "java.sql.Connection#commit", 1),
        new ProbeStatus(6, "rollback", "rollback", "java.sql.Connection#rollback", 1)), g.probes);
  }

  /** Golden queues of older versions hold no transaction rows: the kinds did not exist. */
  @Test
  void olderGoldenQueues_holdNoTransactionRows() throws Exception {
    for (String v : List.of("v1", "v2", "v3")) {
      assertTrue(read(v).rows.stream().noneMatch(r -> r.kind.code > EventKind.WRITE.code), v);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "racetrace.golden.write", matches = "v4")
  void writeV4() throws Exception {
    Path q = GOLDEN.resolve("v4");
    try (TraceQueueWriter w = TraceQueueWriter.open(q, 64 << 10)) {
      w.header(RoundTripTest.header(4));
      w.sampling(RoundTripTest.SAMPLING_START);
      w.probe(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1));
      w.probe(new ProbeStatus(4, "debit", "write", "com.acme.Accounts#debit", 1));
      w.probe(new ProbeStatus(5, "commit", "commit", "java.sql.Connection#commit", 1));
      w.probe(new ProbeStatus(6, "rollback", "rollback", "java.sql.Connection#rollback", 1));
      w.thread(31, "worker-31");
      try (TraceQueueWriter.RowBatch b = w.rows()) {
        for (TraceRow r : RoundTripTest.rowsV4()) {
          b.add(r);
        }
      }
      w.sampling(RoundTripTest.SAMPLING_CUT);
      w.footer(new CaptureCounters(19, 16, 0, 0, 0, 3, 0, 0));
    }
  }

  /** Golden queues of older versions carry no amount: the flag did not exist. */
  @Test
  void olderGoldenQueues_carryNoAmount() throws Exception {
    for (String v : List.of("v1", "v2")) {
      assertTrue(read(v).rows.stream().noneMatch(r -> r.has(TraceSchema.F_AMOUNT) || r.amount != 0), v);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "racetrace.golden.write", matches = "v3")
  void writeV3() throws Exception {
    Path q = GOLDEN.resolve("v3");
    try (TraceQueueWriter w = TraceQueueWriter.open(q, 64 << 10)) {
      w.header(RoundTripTest.header(3));
      w.sampling(RoundTripTest.SAMPLING_START);
      w.probe(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1));
      w.probe(new ProbeStatus(4, "debit", "write", "com.acme.Accounts#debit", 1));
      w.thread(31, "worker-31");
      try (TraceQueueWriter.RowBatch b = w.rows()) {
        for (TraceRow r : RoundTripTest.rowsV3()) {
          b.add(r);
        }
      }
      w.sampling(RoundTripTest.SAMPLING_CUT);
      w.footer(new CaptureCounters(14, 11, 0, 0, 0, 3, 0, 0));
    }
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
