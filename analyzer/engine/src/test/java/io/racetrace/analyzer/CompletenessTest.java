package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.ProbeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture with lost rows is said to be so at the top, and never passes. */
class CompletenessTest {
  @TempDir Path tmp;

  /** Five clean sequential requests: every criterion passes on their own. */
  static TraceBuilder clean(TraceBuilder b) {
    long t = 0;
    for (int i = 0; i < 5; i++) {
      b.arrival(1, "R" + i, "sku-" + i, t);
      RequestDetectorsTest.rmw(b, 11, "R" + i, "sku-" + i, 1, 10, t + 10);
      t += 100;
    }
    return b;
  }

  @Test
  void cleanCapture_isValid_andPasses() throws Exception {
    Path out = tmp.resolve("out");
    Cli c = Cli.run("analyze", clean(new TraceBuilder(tmp.resolve("q"))).build().toString(), "--out", out.toString());
    assertEquals(0, c.exit(), c.out() + c.err());
    assertTrue(c.out().contains("decision: release"), c.out());
    String md = Files.readString(out.resolve("report.md"));
    assertFalse(md.contains("INCOMPLETE"), md);
  }

  @Test
  void droppedRows_invalid_recapture_exitOne_warningOnTop() throws Exception {
    TraceBuilder b = clean(new TraceBuilder(tmp.resolve("q")));
    b.counters(new CaptureCounters(24, 20, 4, 0, 0, 0, 0, 0));
    Path out = tmp.resolve("out");
    Cli c = Cli.run("analyze", b.build().toString(), "--out", out.toString());
    assertEquals(1, c.exit(), c.out() + c.err());
    assertTrue(c.out().startsWith("CAPTURE INVALID"), c.out());
    AnalysisResult r = io.racetrace.analyzer.report.JsonReport.read(out.resolve("report.json"));
    assertEquals("invalid", r.completeness().verdict());
    assertEquals(4, r.completeness().rowsDroppedByAgent());
    assertEquals(20.0 / 24, r.completeness().capturedShare(), 1e-12);
    assertEquals("recapture", r.release().decision());
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.indexOf("INCOMPLETE CAPTURE") < md.indexOf("## Release criteria"), "warning first");
    assertTrue(md.contains("the agent dropped 4 of 24 rows (ring full 4"), md);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("id=\"capture-warning\""), "html warning");
  }

  @Test
  void sequenceGaps_withoutCounters_areVisible() throws Exception {
    TraceBuilder b = clean(new TraceBuilder(tmp.resolve("q")));
    b.dropAt(11, 150).dropAt(11, 250);
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals("invalid", r.completeness().verdict());
    assertEquals(2, r.completeness().rowsMissingBySequence());
    assertEquals(2, r.input().queues().get(0).seqGapRows());
    assertEquals(1, r.release().exitCode());
  }

  @Test
  void noFooter_isUnknown_andAtBestACanary() throws Exception {
    AnalysisResult r = Analysis.run(List.of(clean(new TraceBuilder(tmp.resolve("q")).noFooter()).build()),
        Criteria.DEFAULTS);
    assertEquals("unknown", r.completeness().verdict());
    assertTrue(r.completeness().reasons().get(0).contains("no footer"), r.completeness().reasons().toString());
    assertEquals("canary", r.release().decision());
    assertEquals(0, r.release().exitCode());
  }

  @Test
  void probeThatMatchedNothing_isUnknown() throws Exception {
    TraceBuilder b = clean(new TraceBuilder(tmp.resolve("q")));
    b.probe(new ProbeStatus(9, "idempotency-write", "write", "com.acme.Idem#put", 0));
    AnalysisResult r = Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
    assertEquals("unknown", r.completeness().verdict());
    assertTrue(r.completeness().reasons().get(0).contains("matched no method"));
  }

  /** The seed race across two JVMs whose monotonic clocks differ by an hour: anchors merge them. */
  @Test
  void twoWorkers_mergeOnTheWallClock() throws Exception {
    TraceBuilder w1 = new TraceBuilder(tmp.resolve("w1")).worker("w1");
    TraceBuilder w2 = new TraceBuilder(tmp.resolve("w2")).worker("w2");
    w1.request(11, "A", "sku-1", io.racetrace.trace.Result.SUCCESS, 10, 100);
    w1.read(11, "A", "sku-1", 7, 1, 20, 30);
    w1.write(11, "A", "sku-1", 8, 0, 60, 70);
    w2.request(11, "B", "sku-1", io.racetrace.trace.Result.SUCCESS, 15, 110);
    w2.read(11, "B", "sku-1", 7, 1, 40, 50);
    w2.write(11, "B", "sku-1", 8, 0, 80, 90);
    Path q1 = w1.build();
    Path q2 = shiftMonotonicClock(w2.build(), tmp.resolve("w2-shifted"));
    Path capture = Files.createDirectory(tmp.resolve("capture"));
    Files.move(q1, capture.resolve("w1"));
    Files.move(q2, capture.resolve("w2"));
    AnalysisResult r = Analysis.run(List.of(capture), Criteria.DEFAULTS);
    assertEquals(2, r.input().queues().size());
    assertEquals(1, r.detectors().lostUpdates().staleWrites());
    assertEquals(1L, r.detectors().invariant().mismatch());
    var steps = r.rootCause().example().steps();
    assertEquals(List.of("w1", "w2", "w1", "w2", "w1", "w2"), steps.stream().map(s -> s.worker()).toList());
    assertEquals(0, r.input().lateRows());
  }

  /** Rewrites a queue with every monotonic time and the header's anchor moved by one hour. */
  static Path shiftMonotonicClock(Path q, Path out) throws Exception {
    long shift = 3_600_000_000_000L;
    try (var c = io.racetrace.trace.TraceCursor.open(q);
        var w = io.racetrace.trace.TraceQueueWriter.open(out)) {
      io.racetrace.trace.TraceCursor.Record rec;
      while ((rec = c.next()) != null) {
        switch (rec) {
          case HEADER -> {
            var h = c.header();
            w.header(new io.racetrace.trace.WorkerHeader(h.schemaVersion(), h.workerId(), h.pid(), h.host(),
                h.captureId(), h.agentVersion(), h.jvm(), h.probeSource(), h.options(), h.wallEpochNanos(),
                h.monoNanos() + shift));
          }
          case PROBE -> w.probe(c.probe());
          case ROW -> {
            var r = c.row().copy();
            r.startNanos += shift;
            r.endNanos += shift;
            w.row(r);
          }
          case SAMPLING -> {
            var sc = c.sampling();
            w.sampling(new io.racetrace.trace.SamplingChange(sc.wallEpochNanos(), sc.monoNanos() + shift, sc.level(),
                sc.budgetPermille(), sc.measuredPermille()));
          }
          case COUNTERS -> w.counters(c.counters());
          case FOOTER -> w.footer(c.counters());
          default -> { }
        }
      }
    }
    return out;
  }
}
