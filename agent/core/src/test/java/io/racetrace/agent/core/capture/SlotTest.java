package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.RowCodec;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import java.util.List;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** A slot's inline strings reach the queue exactly as Chronicle's own string encoding would write them. */
class SlotTest {
  @Test
  void inlineStrings_encodeAsChronicleDoes() {
    List<String> cases = List.of("", "sku-1", "r-42", "café", "Ā", "日本語", "😀", "a😀b\u0000c", "\uD800", "x".repeat(60));
    for (String s : cases) {
      assertArrayEquals(chronicle(s), inline(s), s);
    }
    Random rnd = new Random(20261204L);
    for (int i = 0; i < 2_000; i++) {
      char[] cs = new char[rnd.nextInt(40)];
      for (int j = 0; j < cs.length; j++) {
        int kind = rnd.nextInt(4);
        cs[j] = (char) (kind == 0 ? rnd.nextInt(0x80) : kind == 1 ? rnd.nextInt(0x800) : kind == 2 ? rnd.nextInt(0x10000)
            : 0xD800 + rnd.nextInt(0x800)); // lone and paired surrogates too
      }
      String s = new String(cs);
      assertArrayEquals(chronicle(s), inline(s), "case " + i);
      byte[] b = new byte[Slot.TEXT_BYTES];
      int n = Slot.encode(s, b, 0);
      if (n != Slot.NOT_INLINE) {
        assertEquals(s, Slot.decode(b, 0, n), "case " + i);
      }
    }
  }

  @Test
  void rowWithInlineStrings_isByteForByteTheRowWithStrings() {
    for (String[] idKey : new String[][] {{"req-1", "sku-1"}, {null, "sku-ü"}, {"r", null}, {"id", "k".repeat(200)}}) {
      Slot s = new Slot(0);
      s.kind = EventKind.READ.code;
      s.result = Result.NONE.code;
      s.flags = TraceSchema.F_READ_VERSION | (idKey[0] != null ? TraceSchema.F_REQUEST_ID : 0)
          | (idKey[1] != null ? TraceSchema.F_KEY : 0);
      s.threadId = 7;
      s.threadSeq = 3;
      s.readVersion = 12;
      s.strings(idKey[0], idKey[1]);
      TraceRow expected = s.toRow();
      assertEquals(idKey[0], expected.requestId);
      assertEquals(idKey[1], expected.key);
      Bytes<?> a = Bytes.allocateElasticOnHeap();
      RowCodec.writeRow(a, expected);
      TraceRow r = new TraceRow();
      s.copyTo(r);
      Bytes<?> b = Bytes.allocateElasticOnHeap();
      RowCodec.writeRow(b, r, s.text, s.requestIdLen, s.keyLen);
      assertArrayEquals(a.toByteArray(), b.toByteArray(), String.join("/", String.valueOf(idKey[0]), String.valueOf(idKey[1])));
    }
  }

  private static byte[] chronicle(String s) {
    Bytes<?> out = Bytes.allocateElasticOnHeap();
    out.writeUtf8(s);
    return out.toByteArray();
  }

  /** The stop-bit length and the slot's bytes, as the writer copies them; long strings by the fallback. */
  private static byte[] inline(String s) {
    byte[] b = new byte[Slot.TEXT_BYTES * 3];
    int n = Slot.encode(s, b, 0);
    assertNotEquals(Slot.NOT_INLINE, n, s);
    Bytes<?> out = Bytes.allocateElasticOnHeap();
    out.writeStopBit(n);
    out.write(b, 0, n);
    return out.toByteArray();
  }
}
