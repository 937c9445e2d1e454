package io.racetrace.trace;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cursor's fast decoder must read exactly what {@link RowCodec} writes, as the plain reference reading does. */
class RowDecoderTest {
  @TempDir Path tmp;

  private static final String[] STRINGS = {
    "", "a", "sku-1", "req-0123456", "exactly8", "sixteen-bytes-ok", "req-ü-1", "日本語キー",
    "emoji-\uD83D\uDE00-id", "x".repeat(300), null
  };

  static List<TraceRow> randomRows(long seed, int n) {
    Random rnd = new Random(seed);
    List<TraceRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TraceRow r = new TraceRow();
      r.kind = EventKind.values()[rnd.nextInt(EventKind.values().length)];
      r.result = Result.values()[rnd.nextInt(Result.values().length)];
      r.probeId = rnd.nextInt(1000);
      r.threadId = rnd.nextBoolean() ? rnd.nextInt(64) : rnd.nextLong();
      r.threadSeq = rnd.nextInt(1 << 20);
      r.attempt = rnd.nextInt(5);
      r.startNanos = rnd.nextLong();
      r.endNanos = r.startNanos + (rnd.nextBoolean() ? rnd.nextInt(1_000_000) : rnd.nextLong());
      long[] extremes = {0, 1, -1, 127, 128, -128, 16383, 16384, Long.MAX_VALUE, Long.MIN_VALUE};
      if (rnd.nextBoolean()) r.readVersion(rnd.nextBoolean() ? extremes[rnd.nextInt(extremes.length)] : rnd.nextLong());
      if (rnd.nextBoolean()) r.expectedVersion(rnd.nextInt(100_000));
      if (rnd.nextBoolean()) r.writtenVersion(rnd.nextLong());
      if (rnd.nextBoolean()) r.value(extremes[rnd.nextInt(extremes.length)]);
      r.requestId(STRINGS[rnd.nextInt(STRINGS.length)]);
      r.key(STRINGS[rnd.nextInt(STRINGS.length)]);
      r.detail(STRINGS[rnd.nextInt(STRINGS.length)]);
      if (rnd.nextInt(4) == 0) r.flags |= TraceSchema.F_THROWN | TraceSchema.F_NO_REQUEST;
      if (rnd.nextInt(3) == 0) r.keyBucket(rnd.nextInt(65_536));
      if (rnd.nextInt(3) == 0) r.amount(rnd.nextBoolean() ? extremes[rnd.nextInt(extremes.length)] : rnd.nextInt(21) - 10);
      rows.add(r);
    }
    return rows;
  }

  @Test
  void randomRows_decodeLikeRowCodec() throws Exception {
    List<TraceRow> rows = randomRows(42, 3000);
    Path q = tmp.resolve("q");
    try (TraceQueueWriter w = TraceQueueWriter.open(q)) {
      w.header(RoundTripTest.header());
      TraceQueueWriter.RowBatch b = w.rows();
      for (TraceRow r : rows) {
        if (b.size() == 1000) {
          b.close();
          b = w.rows();
        }
        b.add(r);
      }
      b.close();
    }
    Bytes<?> bytes = Bytes.allocateElasticOnHeap(256);
    try (TraceCursor c = TraceCursor.open(q)) {
      int i = 0;
      TraceCursor.Record rec;
      while ((rec = c.next()) != null) {
        if (rec != TraceCursor.Record.ROW) {
          continue;
        }
        TraceRow expected = rows.get(i++);
        bytes.clear();
        RowCodec.writeRow(bytes, expected);
        TraceRow viaCodec = new TraceRow();
        assertNull(ReferenceRowReader.readRow(bytes, viaCodec));
        assertEquals(viaCodec, c.row(), "row " + i);
        assertEquals(expected, c.row(), "row " + i);
        assertEquals(expected.requestId == null, c.requestIdHash() == 0, "row " + i);
        assertEquals(expected.key == null, c.keyHash() == 0, "row " + i);
      }
      assertEquals(rows.size(), i);
    }
  }

  @Test
  void equalIds_haveEqualHashes_distinctIdsDiffer() throws Exception {
    Path q = tmp.resolve("h");
    List<String> ids = new ArrayList<>(List.of("sku-1", "sku-1", "sku-2", "req-ü-1", "req-ü-1", "", "12345678", "123456789"));
    try (TraceQueueWriter w = TraceQueueWriter.open(q)) {
      w.header(RoundTripTest.header());
      for (String id : ids) {
        TraceRow r = new TraceRow();
        r.kind = EventKind.READ;
        w.row(r.requestId(id).key(id));
      }
    }
    List<Long> hashes = new ArrayList<>();
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceCursor.Record rec;
      while ((rec = c.next()) != null) {
        if (rec == TraceCursor.Record.ROW) {
          assertEquals(c.requestIdHash(), c.keyHash());
          hashes.add(c.requestIdHash());
        }
      }
    }
    assertEquals(hashes.get(0), hashes.get(1));
    assertEquals(hashes.get(3), hashes.get(4));
    assertNotEquals(hashes.get(0), hashes.get(2));
    assertNotEquals(hashes.get(6), hashes.get(7));
    assertEquals(6, hashes.stream().distinct().count());
  }

  /**
   * The decoder hands back a String it decoded before when the hash matches (its slot cache):
   * many more distinct ids than slots, each recurring a few rows later as a request's rows do,
   * must all decode to their own text.
   */
  @Test
  void stringCache_manyDistinctIds_eachDecodesToItself() throws Exception {
    Path q = tmp.resolve("cache");
    Random rnd = new Random(7);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      ids.add(rnd.nextInt(4) == 0 && i > 10 ? ids.get(i - 1 - rnd.nextInt(10)) : "req-" + rnd.nextLong());
    }
    try (TraceQueueWriter w = TraceQueueWriter.open(q)) {
      w.header(RoundTripTest.header());
      for (String id : ids) {
        TraceRow r = new TraceRow();
        r.kind = EventKind.READ;
        w.row(r.requestId(id).key("sku-" + (id.hashCode() & 7)));
      }
    }
    int i = 0;
    try (TraceCursor c = TraceCursor.open(q)) {
      TraceCursor.Record rec;
      while ((rec = c.next()) != null) {
        if (rec == TraceCursor.Record.ROW) {
          String id = ids.get(i++);
          assertEquals(id, c.row().requestId, "row " + i);
          assertEquals("sku-" + (id.hashCode() & 7), c.row().key, "row " + i);
        }
      }
    }
    assertEquals(ids.size(), i);
  }
}
