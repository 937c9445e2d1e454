package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The agent encodes rows into plain arrays on the application thread and the writer copies them
 * into the queue as they are: they must be, byte for byte, what Chronicle writes through {@link
 * RowCodec#writeRow}, the reference, and read back by {@link RowDecoder} as the row encoded.
 */
class RowEncoderTest {
  private static final int OPTIONAL = F_READ_VERSION | F_EXPECTED_VERSION | F_WRITTEN_VERSION | F_VALUE | F_REQUEST_ID
      | F_KEY | F_DETAIL | F_KEY_BUCKET | F_AMOUNT | F_UNTIMED | F_NO_REQUEST | F_INJECTED | F_THROWN;

  @Test
  void stopBit_isChroniclesOwn() {
    long[] edges = {0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, -1, -2, -0x80, -0x81, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE >>> 7, 1L << 62};
    Random rnd = new Random(20261204L);
    long[] values = Arrays.copyOf(edges, edges.length + 20_000);
    for (int i = edges.length; i < values.length; i++) {
      values[i] = rnd.nextLong() >> rnd.nextInt(64); // every magnitude, both signs
    }
    for (long v : values) {
      Bytes<?> out = Bytes.allocateElasticOnHeap();
      out.writeStopBit(v);
      byte[] b = new byte[11];
      int n = RowEncoder.stopBit(b, 0, v);
      assertArrayEquals(out.toByteArray(), Arrays.copyOf(b, n), Long.toString(v));
    }
  }

  @Test
  void strings_areChroniclesWriteUtf8() {
    List<String> cases = List.of("", "sku-1", "café", "Ā", "日本語", "😀", "a😀b\u0000c", "\uD800", "x".repeat(127),
        "x".repeat(128), "é".repeat(64), "日".repeat(6_000));
    for (String s : cases) {
      assertArrayEquals(chronicle(s), encoded(s), s.length() + " chars");
    }
    Random rnd = new Random(7L);
    for (int i = 0; i < 5_000; i++) {
      String s = randomString(rnd, rnd.nextInt(4) == 0 ? 300 : 40);
      assertArrayEquals(chronicle(s), encoded(s), "case " + i);
    }
  }

  @Test
  void generatedRows_areTheBytesRowCodecWrites_andDecodeBack() {
    Random rnd = new Random(20261205L);
    RowDecoder decoder = new RowDecoder();
    for (int i = 0; i < 20_000; i++) {
      TraceRow r = randomRow(rnd);
      Bytes<?> out = Bytes.allocateElasticOnHeap();
      RowCodec.writeRow(out, r);
      byte[] expected = out.toByteArray();
      byte[] b = new byte[RowEncoder.maxLength(r.requestId, r.key, r.detail)];
      int n = RowEncoder.row(b, 0, r.kind.code, r.result.code, r.flags, r.probeId, r.threadId, r.threadSeq, r.attempt,
          r.startNanos, r.endNanos, r.readVersion, r.expectedVersion, r.writtenVersion, r.value, r.requestId, r.key,
          r.detail, r.keyBucket, r.amount);
      assertArrayEquals(expected, Arrays.copyOf(b, n), "row " + i + ": " + r);
      assertEquals(r.threadId, RowDecoder.threadId(b, 0), "row " + i);
      decoder.reset(b, 0, n, VERSION);
      TraceRow back = new TraceRow();
      assertNull(decoder.readRow(back), "row " + i);
      assertEquals(r.toString(), back.toString(), "row " + i);
      decoder.reset(expected, 0, expected.length, VERSION); // the row ends the array: no reading past it
      TraceRow exact = new TraceRow();
      assertNull(decoder.readRow(exact), "row " + i);
      assertEquals(r.toString(), exact.toString(), "row " + i);
    }
  }

  @Test
  void arrayTooShort_isNoRoom_neverAPartialRow() {
    String id = "r-" + "x".repeat(200);
    byte[] small = new byte[RowEncoder.MAX_FIXED + 50];
    int flags = F_REQUEST_ID | F_KEY;
    assertEquals(RowEncoder.NO_ROOM, RowEncoder.row(small, 0, EventKind.READ.code, Result.NONE.code, flags, 1, 2, 3, 1,
        10, 20, 0, 0, 0, 0, id, "sku", null, 0, 0));
    byte[] big = new byte[RowEncoder.maxLength(id, "sku", null)];
    assertTrue(RowEncoder.row(big, 0, EventKind.READ.code, Result.NONE.code, flags, 1, 2, 3, 1, 10, 20, 0, 0, 0, 0, id,
        "sku", null, 0, 0) > id.length());
  }

  private static TraceRow randomRow(Random rnd) {
    TraceRow r = new TraceRow();
    EventKind[] kinds = EventKind.values();
    r.kind = kinds[rnd.nextInt(kinds.length)];
    Result[] results = Result.values();
    r.result = results[rnd.nextInt(results.length)];
    r.flags = rnd.nextInt() & OPTIONAL;
    r.probeId = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(40);
    r.threadId = number(rnd);
    r.threadSeq = number(rnd);
    r.attempt = (int) number(rnd);
    r.startNanos = rnd.nextLong();
    r.endNanos = r.startNanos + number(rnd);
    if ((r.flags & F_READ_VERSION) != 0) r.readVersion = number(rnd);
    if ((r.flags & F_EXPECTED_VERSION) != 0) r.expectedVersion = number(rnd);
    if ((r.flags & F_WRITTEN_VERSION) != 0) r.writtenVersion = number(rnd);
    if ((r.flags & F_VALUE) != 0) r.value = number(rnd);
    if ((r.flags & F_REQUEST_ID) != 0) r.requestId = randomString(rnd, 60);
    if ((r.flags & F_KEY) != 0) r.key = randomString(rnd, rnd.nextInt(10) == 0 ? 400 : 30);
    if ((r.flags & F_DETAIL) != 0) r.detail = "java.lang." + randomString(rnd, 30);
    if ((r.flags & F_KEY_BUCKET) != 0) r.keyBucket = rnd.nextInt(1 << 16);
    if ((r.flags & F_AMOUNT) != 0) r.amount = number(rnd);
    return r;
  }

  /** Small numbers mostly, as versions and ids are; any long, negative ones too, now and then. */
  private static long number(Random rnd) {
    switch (rnd.nextInt(4)) {
      case 0:
        return rnd.nextInt(128);
      case 1:
        return rnd.nextInt(1 << 20);
      case 2:
        return -rnd.nextInt(1000);
      default:
        return rnd.nextLong() >> rnd.nextInt(64);
    }
  }

  private static String randomString(Random rnd, int maxLength) {
    char[] cs = new char[rnd.nextInt(maxLength + 1)];
    for (int j = 0; j < cs.length; j++) {
      int kind = rnd.nextInt(5);
      cs[j] = (char) (kind <= 1 ? rnd.nextInt(0x80) : kind == 2 ? rnd.nextInt(0x800) : kind == 3 ? rnd.nextInt(0x10000)
          : 0xD800 + rnd.nextInt(0x800)); // lone and paired surrogates too
    }
    return new String(cs);
  }

  private static byte[] chronicle(String s) {
    Bytes<?> out = Bytes.allocateElasticOnHeap();
    out.writeUtf8(s);
    return out.toByteArray();
  }

  private static byte[] encoded(String s) {
    byte[] b = new byte[RowEncoder.maxLength(s, null, null)];
    int n = RowEncoder.utf8(b, 0, s);
    assertNotEquals(RowEncoder.NO_ROOM, n, s);
    return Arrays.copyOf(b, n);
  }
}
