package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.probe.ProbeFile;
import io.racetrace.agent.core.probe.ProbeFileParser;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.RowDecoder;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sink's failure boundary, driven as woven code drives it: application code that throws while
 * the agent converts a value (a result's or key's {@code toString}) leaves a field absent and is
 * counted; it never leaves a claimed slot unpublished, which would wedge the single consumer.
 */
class CaptureSinkTest {
  static final String PROBES = String.join("\n",
      "version: 1",
      "probes:",
      "  - name: reserve",
      "    role: request",
      "    class: test.Service",
      "    method: reserve",
      "    requestId: arg0",
      "    key: arg1",
      "    result:",
      "      map: {OK: success, FULL: rejected}",
      "  - name: read",
      "    role: read",
      "    class: test.Store",
      "    method: read",
      "    key: arg0",
      "    version: return",
      "");

  /** An application value whose toString (and hashCode) throw when told to. */
  static final class Hostile {
    final String text;
    final boolean hostile;

    Hostile(String text, boolean hostile) {
      this.text = text;
      this.hostile = hostile;
    }

    @Override
    public String toString() {
      if (hostile) {
        throw new IllegalStateException("toString of " + text);
      }
      return text;
    }

    @Override
    public int hashCode() {
      if (hostile) {
        throw new IllegalStateException("hashCode of " + text);
      }
      return text.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hostile && ((Hostile) o).text.equals(text);
    }
  }

  static ProbeFile probes() throws Exception {
    return ProbeFileParser.parse("probes.yaml", PROBES.getBytes(StandardCharsets.UTF_8), false);
  }

  static void request(CaptureSink sink, Object id, Object key, Object result) {
    // As the woven advice passes them: the roots of requestId (arg0) and key (arg1) at entry, the
    // read's key (arg0) and its primitive version (return: mask bit 1), the request's result.
    long t = sink.enterRequest(sink.probeId(0), 0, id, 0, key, 0);
    long rt = sink.enterCall(sink.probeId(1));
    sink.exitRead(sink.probeId(1), rt, 1 << 1, key, 0, null, 7, null, 0, null);
    sink.exitRequest(sink.probeId(0), t, 0, result, 0, null);
  }

  /** Drains the ring as the writer thread would, decoding each row's bytes as the analyzer reads them. */
  static List<TraceRow> drain(CaptureSink sink) {
    List<TraceRow> out = new ArrayList<>();
    ByteRing ring = sink.ring();
    RowDecoder decoder = new RowDecoder();
    for (int at; (at = ring.peek()) >= 0; ring.next()) {
      TraceRow r = new TraceRow();
      byte[] row = new byte[ring.peekedLength];
      ring.copy(at, row, row.length);
      decoder.reset(row, 0, row.length, TraceSchema.VERSION);
      assertNull(decoder.readRow(r));
      out.add(r);
    }
    ring.advance();
    return out;
  }

  @Test
  void resultWhoseToStringThrows_isCountedAndTheRingKeepsFlowing() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(probes().probes(), null, 8, stats);
    List<TraceRow> rows = new ArrayList<>();
    request(sink, "r0", "sku-1", new Hostile("OK", true));
    rows.addAll(drain(sink));
    for (int i = 1; i < 20; i++) {
      request(sink, "r" + i, "sku-1", new Hostile("OK", false));
      rows.addAll(drain(sink));
    }
    assertEquals(40, rows.size(), "a read and a request row per request, none stuck behind the bad one");
    assertEquals(0, stats.snapshot(0).droppedRingFull());
    assertEquals(0, stats.adviceErrors());
    assertEquals(1, stats.extractorErrors());
    TraceRow bad = rows.get(1);
    assertEquals(EventKind.REQUEST, bad.kind);
    assertEquals("r0", bad.requestId);
    assertEquals(Result.NONE, bad.result, "the outcome could not be read, so none is claimed");
    assertTrue(rows.stream().filter(r -> r.kind == EventKind.REQUEST && !"r0".equals(r.requestId))
        .allMatch(r -> r.result == Result.SUCCESS));
  }

  /**
   * The ring outlives many young collections: it holds rows as bytes, never a reference into the
   * application's heap; a key longer than the thread's row buffer grows it, and a row longer than
   * the ring takes is dropped and counted, never cut short.
   */
  @Test
  void ringHoldsBytesOnly_longKeysFit_tooLongRowsAreCounted() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(probes().probes(), null, 8, stats); // 8 x 128 bytes: rows up to 504
    request(sink, new Hostile("id-1", false), new Hostile("sku-1", false), "OK");
    String longKey = "k".repeat(400);
    request(sink, new Hostile("id-2", false), new Hostile(longKey, false), "OK");
    List<TraceRow> rows = drain(sink);
    assertEquals(4, rows.size(), "a read and a request row per request");
    assertEquals("sku-1", rows.get(0).key);
    assertEquals("id-1", rows.get(1).requestId);
    assertEquals(longKey, rows.get(2).key);
    assertEquals(longKey, rows.get(3).key);
    assertEquals(0, stats.snapshot(0).droppedRingFull());
    request(sink, "id-3", "k".repeat(600), "OK");
    assertEquals(List.of(), drain(sink));
    assertEquals(2, stats.snapshot(0).droppedRingFull(), "both rows of the request, counted");
    for (java.lang.reflect.Field f : ByteRing.class.getDeclaredFields()) {
      if (!f.getType().isPrimitive() && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        assertTrue(f.getType() == java.nio.ByteBuffer.class || f.getType() == ByteRing.PaddedLong.class || f.getType() == Thread.class,
            "the ring holds its bytes, its counters and the writer thread only: " + f);
      }
    }
  }

  /**
   * One request in ten has a key whose toString and hashCode throw and a result whose toString
   * throws: every row is still captured, and each failed conversion is counted exactly once.
   */
  @Test
  void hostileKeysAndResults_oneInTen_overManyRequests_loseNothingElse() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(probes().probes(), null, 1024, stats, false, 1);
    int n = 100_000;
    long rows = 0;
    long keyless = 0;
    long unknownResult = 0;
    for (int i = 0; i < n; i++) {
      boolean hostile = i % 10 == 3;
      request(sink, "r" + i, new Hostile("sku-" + (i % 97), hostile), new Hostile("OK", hostile));
      for (TraceRow r : drain(sink)) {
        rows++;
        assertEquals("r" + i, r.requestId);
        if (r.key == null) {
          keyless++;
          assertTrue(hostile, r.toString());
        } else {
          assertEquals("sku-" + (i % 97), r.key);
        }
        if (r.kind == EventKind.REQUEST && r.result == Result.NONE) {
          unknownResult++;
        }
      }
    }
    assertEquals(2L * n, rows);
    assertEquals(2L * n / 10, keyless, "read and request rows of each hostile request have no key");
    assertEquals(n / 10, unknownResult);
    // Per hostile request: the request's key, the read's own key (its probe names one) and the result.
    assertEquals(3L * n / 10, stats.extractorErrors());
    assertEquals(0, stats.adviceErrors());
    assertEquals(0, stats.snapshot(0).droppedRingFull());
  }

  /**
   * A thread that was inside a request when a capture was detached never ran that request's exit;
   * the next capture must not inherit its request state (it would ignore the thread's requests).
   */
  @Test
  void requestOpenAtDetach_doesNotLeakIntoTheNextCapture() throws Exception {
    CaptureSink first = new CaptureSink(probes().probes(), null, 8, new CaptureStats());
    first.enterRequest(first.probeId(0), 0, "left-open", 0, "sku-9", 0);
    // detached here: the request's exit runs with no sink

    CaptureSink next = new CaptureSink(probes().probes(), null, 8, new CaptureStats());
    request(next, "r1", "sku-1", "OK");
    List<TraceRow> rows = drain(next);
    assertEquals(2, rows.size(), rows.toString());
    assertTrue(rows.stream().allMatch(r -> "r1".equals(r.requestId) && "sku-1".equals(r.key)), rows.toString());
  }

  /** A read as woven code makes it on a proxy ({@code proxy}) or an implementation: enter, then exit. */
  static void read(CaptureSink sink, boolean proxy, String key, long version, Runnable nested) {
    int id = sink.probeId(1) | (proxy ? io.racetrace.agent.core.weave.ProbeId.PROXY : 0);
    long t = sink.enterCall(id);
    nested.run();
    sink.exitRead(id, t, 1 << 1, key, 0, null, version, null, 0, null);
  }

  /**
   * The rule for JDK proxies: the proxy's call is the row; the same probe's calls nested in it on
   * the thread (its handler forwarding to a woven implementation, or to another proxy) emit
   * nothing; a direct call of the implementation emits; so does a proxy call after them.
   */
  @Test
  void proxyCall_forwardedToAWovenImplementation_emitsOnce() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(probes().probes(), null, 16, stats);
    read(sink, true, "via-proxy", 1, () -> read(sink, false, "inner", 99, () -> { }));
    read(sink, true, "chain", 2, () -> read(sink, true, "inner-proxy", 98, () -> read(sink, false, "inner", 97, () -> { })));
    read(sink, false, "direct", 3, () -> { });
    read(sink, true, "proxy-only", 4, () -> { });
    // Another probe nested in a proxy call is its own event.
    long t = sink.enterCall(io.racetrace.agent.core.weave.ProbeId.PROXY | sink.probeId(1));
    long r = sink.enterRequest(sink.probeId(0), 0, "r1", 0, "sku-1", 0);
    sink.exitRequest(sink.probeId(0), r, 0, "OK", 0, null);
    sink.exitRead(io.racetrace.agent.core.weave.ProbeId.PROXY | sink.probeId(1), t, 1 << 1, "around", 0, null, 5, null, 0, null);
    List<String> rows = drain(sink).stream().map(x -> x.kind + " " + (x.key == null ? x.requestId : x.key) + "@"
        + x.readVersion).toList();
    assertEquals(List.of("READ via-proxy@1", "READ chain@2", "READ direct@3", "READ proxy-only@4", "REQUEST sku-1@0",
        "READ around@5"), rows);
    assertEquals(0, stats.adviceErrors());
  }

  /** A proxy call left open by a detach must not silence the implementation in the next capture. */
  @Test
  void proxyCallOpenAtDetach_doesNotLeakIntoTheNextCapture() throws Exception {
    CaptureSink first = new CaptureSink(probes().probes(), null, 8, new CaptureStats());
    first.enterCall(first.probeId(1) | io.racetrace.agent.core.weave.ProbeId.PROXY);
    // detached here: the proxy call's exit runs with no sink

    CaptureSink next = new CaptureSink(probes().probes(), null, 8, new CaptureStats());
    read(next, false, "direct", 3, () -> { });
    assertEquals(List.of("direct"), drain(next).stream().map(x -> x.key).toList());
  }

  /**
   * A frame that ran code an earlier capture wove keeps running it after the detach: its exit (and
   * a proxy's entry) reaches the next capture with the earlier capture's probe ids, whose indices
   * may name other probes there or none (the CI failure: index 4 of a capture with 3 probes). The
   * next capture ignores them and captures its own calls as usual.
   */
  @Test
  void callsWovenByAnEarlierCapture_areIgnoredByTheNext() throws Exception {
    CaptureSink first = new CaptureSink(probes().probes(), null, 8, new CaptureStats());
    int stale = first.probeId(1) | io.racetrace.agent.core.weave.ProbeId.PROXY;
    long token = first.enterCall(stale);

    CaptureStats stats = new CaptureStats();
    CaptureSink next = new CaptureSink(probes().probes(), null, 8, stats);
    assertNotEquals(first.probeId(1), next.probeId(1), "each capture weaves its own ids");
    assertEquals(0L, next.enterCall(stale), "not tracked");
    next.exitRead(stale, token, 1 << 1, "stale", 0, null, 1, null, 0, null);
    next.exitRead(first.probeId(1) + 7, token, 1 << 1, "out-of-range", 0, null, 1, null, 0, null);
    read(next, false, "own", 3, () -> { });
    assertEquals(List.of("own"), drain(next).stream().map(x -> x.key).toList());
    assertEquals(0, stats.adviceErrors());
  }

  /** Write probes whose amount is a primitive argument, a record component, and the same path on a value that is no number. */
  static final String AMOUNT_PROBES = String.join("\n",
      "probes:",
      "  - {name: debit, role: write, class: test.Accounts, method: debit, key: arg0, amount: arg1}",
      "  - {name: take, role: write, class: test.Stock, method: take, key: arg0, amount: arg1.units(), value: return}",
      "");

  record Take(int units) {}

  record Label(String units) {}

  static void write(CaptureSink sink, int probe, int mask, String key, Object amountRef, long amountBits, Object valueRef,
      long valueBits) {
    int id = sink.probeId(probe);
    long t = sink.enterCall(id);
    // The roots as the woven advice passes them: key (arg0), value (return: mask bit 3), amount (mask bit 5).
    sink.exitWrite(id, t, mask, key, 0, null, 0, null, 0, valueRef, valueBits, null, 0, amountRef, amountBits, null);
  }

  /**
   * The amount comes as the advice hands it: a primitive argument in its bits (mask bit 5, never
   * boxed), a path from a reference root; absent (a null record) and not-a-number (a string
   * component, whose hash code the extractor would give) leave it out of the row.
   */
  @Test
  void amount_fromPrimitiveBitsOrAPath_absentOrNotANumber_leftOut() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(ProbeFileParser.parse("probes.yaml", AMOUNT_PROBES.getBytes(StandardCharsets.UTF_8),
        false).probes(), null, 16, stats);
    write(sink, 0, 1 << 5, "acct-1", null, 250, null, 0);
    write(sink, 0, 1 << 5, "acct-1", null, -40, null, 0);
    write(sink, 1, 1 << 3, "sku-1", new Take(3), 0, null, 97);
    write(sink, 1, 1 << 3, "sku-1", null, 0, null, 96);
    write(sink, 1, 1 << 3, "sku-1", new Label("three"), 0, null, 95);
    write(sink, 1, 1 << 3, "sku-1", new Label("four"), 0, null, 94);
    List<String> rows = drain(sink).stream().map(r -> r.key + (r.has(io.racetrace.trace.TraceSchema.F_AMOUNT)
        ? " amount=" + r.amount : " no amount") + (r.has(io.racetrace.trace.TraceSchema.F_VALUE) ? " value=" + r.value : ""))
        .toList();
    assertEquals(List.of("acct-1 amount=250", "acct-1 amount=-40", "sku-1 amount=3 value=97", "sku-1 no amount value=96",
        "sku-1 no amount value=95", "sku-1 no amount value=94"), rows);
    assertEquals(0, stats.extractorErrors(), "an absent or non-numeric amount is no failing getter");
    assertEquals(0, stats.adviceErrors());
  }

  static final String TXN_PROBES = PROBES + String.join("\n",
      "  - {name: commit, role: commit, class: test.Connection, method: commit}",
      "  - {name: rollback, role: rollback, class: test.Connection, method: rollback}",
      "");

  /**
   * With an overhead budget, a transaction boundary inside a request follows the request's key,
   * as its reads and writes do: one of a request left out is dropped and counted, one of a kept
   * request carries its key's bucket. Outside a request there is no key to sample by, so the row
   * is always kept, without a bucket.
   */
  @Test
  void transactionBoundary_sampledWithItsRequest_keptOutsideAny() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(ProbeFileParser.parse("probes.yaml", TXN_PROBES.getBytes(StandardCharsets.UTF_8),
        false).probes(), null, 64, stats, false, 1);
    sink.sampler().lower(32_768); // keeps the keys of buckets 0 to 32767
    String kept = null;
    String left = null;
    for (int i = 0; kept == null || left == null; i++) {
      String k = "sku-" + i;
      if (KeySampler.bucket(k) < 32_768) {
        kept = kept == null ? k : kept;
      } else {
        left = left == null ? k : left;
      }
    }
    for (String key : new String[] {kept, left}) {
      long t = sink.enterRequest(sink.probeId(0), 0, "r-" + key, 0, key, 0);
      sink.exitTransaction(sink.probeId(2), sink.enterCall(sink.probeId(2)), null);
      sink.exitTransaction(sink.probeId(3), sink.enterCall(sink.probeId(3)), new IllegalStateException());
      sink.exitRequest(sink.probeId(0), t, 0, "OK", 0, null);
    }
    sink.exitTransaction(sink.probeId(2), sink.enterCall(sink.probeId(2)), null);
    List<String> rows = drain(sink).stream().map(r -> r.kind + " " + r.result + " " + r.requestId + " " + r.key
        + (r.has(io.racetrace.trace.TraceSchema.F_KEY_BUCKET) ? " bucket=" + r.keyBucket : "")
        + (r.has(io.racetrace.trace.TraceSchema.F_NO_REQUEST) ? " no-request" : "")
        + (r.has(io.racetrace.trace.TraceSchema.F_THROWN) ? " thrown=" + r.detail : "")).toList();
    String b = " bucket=" + KeySampler.bucket(kept);
    assertEquals(List.of("COMMIT SUCCESS r-" + kept + " " + kept + b,
        "ROLLBACK ERROR r-" + kept + " " + kept + b + " thrown=java.lang.IllegalStateException",
        "REQUEST SUCCESS r-" + kept + " " + kept + b,
        "COMMIT SUCCESS null null no-request"), rows);
    assertEquals(3, stats.snapshot(0).droppedSampled(), "the left-out request's two boundaries and itself");
    assertEquals(0, stats.adviceErrors());
  }
}
