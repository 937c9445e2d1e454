package io.racetrace.trace;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
  @TempDir Path tmp;

  static WorkerHeader header() {
    return header(TraceSchema.VERSION);
  }

  static WorkerHeader header(int schemaVersion) {
    return new WorkerHeader(schemaVersion, "worker-a", 4242, "host-1", 0x1234_5678_9abcL,
        "0.1.0", "17.0.15 Debian", "probes.yaml sha256:abc", "queue=q,worker=worker-a",
        1_700_000_000_000_000_000L, 987_654_321L);
  }

  /** Rows that exercise every optional field, empty and non-ASCII strings, and extreme numbers. Frozen: the v1 golden queue holds them. */
  static List<TraceRow> rows() {
    List<TraceRow> rows = new ArrayList<>();
    TraceRow req = new TraceRow();
    req.kind = EventKind.REQUEST;
    req.result = Result.SUCCESS;
    req.threadId = 31;
    req.threadSeq = 1;
    req.attempt = 2;
    req.startNanos = 1_000;
    req.endNanos = 5_000_000;
    rows.add(req.requestId("req-ü-1").key("sku-1"));
    TraceRow read = new TraceRow();
    read.kind = EventKind.READ;
    read.probeId = 2;
    read.threadId = 31;
    read.threadSeq = 2;
    read.attempt = 1;
    read.startNanos = 2_000;
    read.endNanos = 2_500;
    rows.add(read.requestId("req-ü-1").key("sku-1").readVersion(7).value(1));
    TraceRow write = new TraceRow();
    write.kind = EventKind.WRITE;
    write.result = Result.CONFLICT;
    write.probeId = 3;
    write.threadId = Long.MAX_VALUE;
    write.threadSeq = 3;
    write.attempt = 1;
    write.startNanos = -5;
    write.endNanos = Long.MAX_VALUE - 10;
    rows.add(write.requestId("").key("sku-1").expectedVersion(7).writtenVersion(8).value(-1));
    TraceRow thrown = new TraceRow();
    thrown.kind = EventKind.WRITE;
    thrown.result = Result.TIMEOUT;
    thrown.flags = TraceSchema.F_THROWN | TraceSchema.F_NO_REQUEST;
    thrown.value = Long.MIN_VALUE;
    thrown.flags |= TraceSchema.F_VALUE | TraceSchema.F_VALUE_HASHED;
    rows.add(thrown.detail("java.sql.SQLTimeoutException"));
    return rows;
  }

  /** {@link #rows()} plus rows using the fields version 2 added. Frozen: the v2 golden queue holds them. */
  static List<TraceRow> rowsV2() {
    List<TraceRow> rows = rows();
    TraceRow untimed = new TraceRow();
    untimed.kind = EventKind.READ;
    untimed.probeId = 2;
    untimed.threadId = 31;
    untimed.threadSeq = 4;
    untimed.attempt = 1;
    untimed.startNanos = 9_000;
    untimed.endNanos = 9_000;
    untimed.flags = TraceSchema.F_UNTIMED;
    rows.add(untimed.requestId("req-2").key("sku-2").readVersion(3).keyBucket(65_535));
    TraceRow zero = new TraceRow();
    zero.kind = EventKind.REQUEST;
    zero.result = Result.REJECTED;
    zero.threadId = 31;
    zero.threadSeq = 5;
    zero.startNanos = 8_000;
    zero.endNanos = 9_500;
    rows.add(zero.requestId("req-2").key("sku-2").keyBucket(0));
    return rows;
  }

  /**
   * {@link #rowsV2()} plus rows using the field version 3 added: writes' amounts, taken (positive),
   * added (negative), zero and extreme, next to a value and alone. Frozen: the v3 golden queue holds them.
   */
  static List<TraceRow> rowsV3() {
    List<TraceRow> rows = rowsV2();
    long[] amounts = {3, -40, 0, Long.MAX_VALUE, Long.MIN_VALUE + 1};
    for (int i = 0; i < amounts.length; i++) {
      TraceRow w = new TraceRow();
      w.kind = EventKind.WRITE;
      w.result = Result.SUCCESS;
      w.probeId = 4;
      w.threadId = 31;
      w.threadSeq = 6 + i;
      w.attempt = 1;
      w.startNanos = 10_000 + i;
      w.endNanos = 10_000 + i;
      w.flags = TraceSchema.F_UNTIMED;
      w.requestId("req-3").key("acct-" + i).amount(amounts[i]);
      if (i == 0) {
        w.value(97).keyBucket(12);
      }
      rows.add(w);
    }
    return rows;
  }

  /** Version 4: a request's write and its transaction's commit, then a rolled-back write and its rollback. */
  static List<TraceRow> rowsV4() {
    List<TraceRow> rows = rowsV3();
    EventKind[] kinds = {EventKind.WRITE, EventKind.COMMIT, EventKind.WRITE, EventKind.ROLLBACK, EventKind.COMMIT};
    Result[] results = {Result.SUCCESS, Result.SUCCESS, Result.SUCCESS, Result.NONE, Result.ERROR};
    for (int i = 0; i < kinds.length; i++) {
      TraceRow r = new TraceRow();
      r.kind = kinds[i];
      r.result = results[i];
      r.probeId = kinds[i] == EventKind.WRITE ? 4 : kinds[i] == EventKind.COMMIT ? 5 : 6;
      r.threadId = 31;
      r.threadSeq = 11 + i;
      r.attempt = 1;
      r.startNanos = 20_000 + i;
      r.endNanos = 20_000 + i;
      r.flags = TraceSchema.F_UNTIMED;
      r.requestId("req-4");
      if (kinds[i] == EventKind.WRITE) {
        r.key("acct-" + i).value(90 - i);
      }
      if (results[i] == Result.ERROR) {
        r.detail("org.postgresql.util.PSQLException");
        r.flags |= TraceSchema.F_THROWN;
      }
      rows.add(r);
    }
    return rows;
  }

  static final SamplingChange SAMPLING_START = new SamplingChange(1_700_000_000_000_000_100L, 987_654_421L,
      TraceSchema.SAMPLE_ALL, 50, 0);
  static final SamplingChange SAMPLING_CUT = new SamplingChange(1_700_000_002_000_000_000L, 2_987_654_321L,
      16_384, 50, 183);

  @Test
  void everyRecordType_readsBackFieldByField() throws Exception {
    Path q = tmp.resolve("q");
    CaptureCounters periodic = new CaptureCounters(10, 8, 1, 0, 1, 0, 2, 3);
    CaptureCounters last = new CaptureCounters(20, 16, 1, 2, 1, 0, 2, 3);
    try (TraceQueueWriter w = TraceQueueWriter.open(q)) {
      w.header(header());
      w.probe(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1));
      w.thread(31, "worker-31");
      try (TraceQueueWriter.RowBatch b = w.rows()) {
        for (TraceRow r : rowsV4()) {
          b.add(r);
        }
      }
      w.counters(periodic);
      w.sampling(SAMPLING_CUT);
      w.anchor(1_700_000_001_000_000_000L, 1_987_654_321L);
      w.row(rows().get(0));
      w.footer(last);
    }

    List<TraceRow> read = new ArrayList<>();
    List<TraceCursor.Record> kinds = new ArrayList<>();
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceCursor.Record r;
      while ((r = c.next()) != null) {
        kinds.add(r);
        switch (r) {
          case HEADER:
            assertEquals(header(), c.header());
            assertEquals(header().wallEpochNanos() + 5, c.toWallNanos(header().monoNanos() + 5));
            break;
          case PROBE:
            assertEquals(new ProbeStatus(2, "store-read", "read", "com.acme.Store#read", 1), c.probe());
            break;
          case THREAD:
            assertEquals(31, c.threadId());
            assertEquals("worker-31", c.threadName());
            break;
          case COUNTERS:
            assertEquals(periodic, c.counters());
            break;
          case ANCHOR:
            assertEquals(1_700_000_001_000_000_000L + 7, c.toWallNanos(1_987_654_321L + 7));
            break;
          case FOOTER:
            assertEquals(last, c.counters());
            assertEquals(4, c.counters().dropped());
            break;
          case ROW:
            read.add(c.row().copy());
            break;
          case SAMPLING:
            assertEquals(SAMPLING_CUT, c.sampling());
            break;
        }
      }
      assertTrue(c.sawFooter());
      assertEquals(rowsV4().size() + 1, c.rowsRead());
    }
    List<TraceCursor.Record> expectedKinds = new ArrayList<>(List.of(TraceCursor.Record.HEADER, TraceCursor.Record.PROBE,
        TraceCursor.Record.THREAD));
    rowsV4().forEach(x -> expectedKinds.add(TraceCursor.Record.ROW));
    expectedKinds.addAll(List.of(TraceCursor.Record.COUNTERS, TraceCursor.Record.SAMPLING, TraceCursor.Record.ANCHOR,
        TraceCursor.Record.ROW, TraceCursor.Record.FOOTER));
    assertEquals(expectedKinds, kinds);
    assertEquals(SAMPLING_CUT, TraceCursor.lastSampling(q));
    List<TraceRow> expected = new ArrayList<>(rowsV4());
    expected.add(rows().get(0));
    assertEquals(expected, read);
    assertEquals("req-ü-1", read.get(0).requestId);
    assertEquals(Long.MAX_VALUE - 10, read.get(2).endNanos);
    assertEquals(Long.MIN_VALUE, read.get(3).value);
    assertNull(read.get(3).key);
    assertEquals(-40, read.get(rowsV2().size() + 1).amount);
    assertEquals(Long.MIN_VALUE + 1, read.get(rowsV2().size() + 4).amount);
  }

  @Test
  void fullBatch_splitsCleanly() throws Exception {
    Path q = tmp.resolve("big");
    int n = TraceSchema.MAX_ROWS_PER_RECORD * 2 + 3;
    TraceRow r = rows().get(1);
    try (TraceQueueWriter w = TraceQueueWriter.open(q)) {
      w.header(header());
      TraceQueueWriter.RowBatch b = w.rows();
      for (int i = 0; i < n; i++) {
        if (b.isFull()) {
          b.close();
          b = w.rows();
        }
        r.threadSeq = i;
        b.add(r);
      }
      b.close();
    }
    try (TraceCursor c = TraceCursor.open(q)) {
      long seq = 0;
      TraceCursor.Record rec;
      while ((rec = c.next()) != null) {
        if (rec == TraceCursor.Record.ROW) {
          assertEquals(seq++, c.row().threadSeq);
        }
      }
      assertEquals(n, seq);
      assertFalse(c.sawFooter(), "no footer was written");
    }
  }

  @Test
  void missingEmptyAndForeignDirectories_areNamedErrors() throws Exception {
    Path missing = tmp.resolve("missing");
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceCursor.open(missing));
    assertEquals(missing + ": no such directory", e.getMessage());

    Path empty = Files.createDirectory(tmp.resolve("empty"));
    e = assertThrows(TraceFormatException.class, () -> TraceCursor.open(empty));
    assertTrue(e.getMessage().startsWith(empty + ": not a capture queue"), e.getMessage());

    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    e = assertThrows(TraceFormatException.class, () -> TraceCursor.open(file));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }

  /** A flag a record's version does not define is refused, though the reader knows it from a later version. */
  @Test
  void amountFlag_inAVersion2Record_isRejected_inAVersion3RecordRead() throws Exception {
    for (int version : new int[] {2, 3}) {
      Path q = tmp.resolve("v" + version);
      TraceRow w = new TraceRow();
      w.kind = EventKind.WRITE;
      w.result = Result.SUCCESS;
      w.amount(5);
      writeRowRecord(q, version, w);
      try (TraceCursor c = TraceCursor.open(q)) {
        if (version == 2) {
          TraceFormatException e = assertThrows(TraceFormatException.class, c::next);
          assertTrue(e.getMessage().contains("unknown row flags 0x2000"), e.getMessage());
        } else {
          assertEquals(TraceCursor.Record.ROW, c.next());
          assertEquals(5, c.row().amount);
          assertTrue(c.row().has(TraceSchema.F_AMOUNT));
        }
      }
    }
  }

  /** A queue holding one row record stamped with schema {@code version}, whatever the writer's own version. */
  static void writeRowRecord(Path q, int version, TraceRow row) {
    try (net.openhft.chronicle.queue.ChronicleQueue cq = net.openhft.chronicle.queue.impl.single
            .SingleChronicleQueueBuilder.binary(q.toFile()).rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY).build();
        var app = cq.createAppender();
        var dc = app.writingDocument()) {
      dc.wire().bytes().writeUnsignedByte(TraceSchema.REC_ROWS).writeUnsignedByte(version).writeUnsignedShort(1);
      RowCodec.writeRow(dc.wire().bytes(), row);
    }
  }

  /** COMMIT and ROLLBACK rows exist since version 4: a record of an older version that holds one is refused. */
  @Test
  void transactionKinds_inAVersion3Record_areRejected_inAVersion4RecordRead() throws Exception {
    for (int version : new int[] {3, 4}) {
      for (EventKind kind : new EventKind[] {EventKind.COMMIT, EventKind.ROLLBACK}) {
        Path q = tmp.resolve("v" + version + kind);
        TraceRow w = new TraceRow();
        w.kind = kind;
        w.result = Result.SUCCESS;
        w.threadId = 7;
        writeRowRecord(q, version, w);
        try (TraceCursor c = TraceCursor.open(q)) {
          if (version == 3) {
            TraceFormatException e = assertThrows(TraceFormatException.class, c::next);
            assertTrue(e.getMessage().contains("unknown event kind " + kind.code), e.getMessage());
          } else {
            assertEquals(TraceCursor.Record.ROW, c.next());
            assertEquals(kind, c.row().kind);
            assertEquals(7, c.row().threadId);
          }
        }
      }
    }
  }

  @Test
  void newerSchemaVersion_isRejectedWithItsNumber() throws Exception {
    Path q = tmp.resolve("future");
    try (net.openhft.chronicle.queue.ChronicleQueue cq = net.openhft.chronicle.queue.impl.single
            .SingleChronicleQueueBuilder.binary(q.toFile()).rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY).build();
        var app = cq.createAppender();
        var dc = app.writingDocument()) {
      dc.wire().bytes().writeUnsignedByte(TraceSchema.REC_ROWS).writeUnsignedByte(9).writeUnsignedShort(1);
    }
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceFormatException e = assertThrows(TraceFormatException.class, c::next);
      assertTrue(e.getMessage().contains("schema version 9 is not supported"), e.getMessage());
      assertTrue(e.getMessage().startsWith(q.toString()), e.getMessage());
    }
  }
}
