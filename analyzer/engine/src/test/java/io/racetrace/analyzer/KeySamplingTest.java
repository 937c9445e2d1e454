package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results;
import io.racetrace.analyzer.report.JsonReport;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key sampling (schema version 2): the agent lowers its sampling level to stay within its overhead
 * budget, so only the keys below the final level have their whole history. Hand-built captures with
 * a cut from every key to half the key space, mid-capture.
 */
class KeySamplingTest {
  static final String KEPT = "sku-kept";
  static final String CUT = "sku-cut";
  static final int KEPT_BUCKET = 100;
  static final int CUT_BUCKET = 40_000;
  static final int HALF = 32_768;
  /** Rows of CUT the agent did not capture after the cut: its fourth request (arrival, request, read, write). */
  static final int NOT_CAPTURED = 4;

  @TempDir Path tmp;

  /**
   * Two keys, buckets below and above the cut. Until 500 us every key is captured; then the agent
   * lowers the level to 32768 (measured overhead 3.5% against a 2% budget) and CUT is no longer
   * captured. Reads are untimed ({@code F_UNTIMED}), as the v2 agent writes them.
   *
   * @param raceOnKept the seed race (A and B read v7, both write v8) on KEPT, else two sequential
   *     read-modify-writes
   * @param sampled write the sampling records and count the rows not captured; without them the
   *     same rows form an unsampled capture
   */
  static TraceBuilder capture(TraceBuilder b, boolean raceOnKept, boolean sampled) {
    b.bucket(KEPT, KEPT_BUCKET).bucket(CUT, CUT_BUCKET);
    if (raceOnKept) {
      race(b, KEPT, "A", "B", 11, 12, 0);
    } else {
      b.arrival(1, "A", KEPT, 0);
      b.arrival(1, "B", KEPT, 2);
      rmw(b, 11, "A", KEPT, 7, 10, 10);
      rmw(b, 12, "B", KEPT, 8, 9, 100);
    }
    race(b, CUT, "C", "D", 21, 22, 200);
    // After the cut: KEPT is still captured; CUT's request F (4 rows) is not.
    b.arrival(1, "E", KEPT, 595);
    rmw(b, 11, "E", KEPT, raceOnKept ? 8 : 9, raceOnKept ? 9 : 8, 600);
    if (sampled) {
      b.sampling(0, TraceSchema.SAMPLE_ALL, 20, 0);
      b.sampling(500, HALF, 20, 35);
      int written = 20;
      b.counters(new CaptureCounters(written + NOT_CAPTURED, written, 0, 0, 0, NOT_CAPTURED, 0, 0));
    }
    return b;
  }

  /** The seed race on {@code key}: both read v7 (value 10), both write v8 (value 9), both confirm. */
  static void race(TraceBuilder b, String key, String a, String bb, long ta, long tb, long t0) {
    b.arrival(1, a, key, t0);
    b.arrival(1, bb, key, t0 + 2);
    b.request(ta, a, key, Result.SUCCESS, t0 + 10, t0 + 100);
    untimed(b.read(ta, a, key, 7, 10, t0 + 20, t0 + 30));
    b.request(tb, bb, key, Result.SUCCESS, t0 + 15, t0 + 110);
    untimed(b.read(tb, bb, key, 7, 10, t0 + 40, t0 + 50));
    b.write(ta, a, key, 8, 9, t0 + 60, t0 + 70);
    b.write(tb, bb, key, 8, 9, t0 + 80, t0 + 90);
  }

  static void rmw(TraceBuilder b, long thread, String id, String key, long v, long qty, long t) {
    b.request(thread, id, key, Result.SUCCESS, t, t + 50);
    untimed(b.read(thread, id, key, v, qty, t + 5, t + 10));
    b.write(thread, id, key, v + 1, qty - 1, t + 20, t + 30);
  }

  /** The agent did not take the entry time of the row: start = end. */
  static void untimed(TraceRow r) {
    r.flags |= TraceSchema.F_UNTIMED;
    r.startNanos = r.endNanos;
  }

  AnalysisResult analyze(TraceBuilder b) throws Exception {
    return Analysis.run(List.of(b.build()), Criteria.DEFAULTS);
  }

  @Test
  void theBuiltCaptureHoldsWhatTheTestsAssume() throws Exception {
    Path q = capture(new TraceBuilder(tmp.resolve("q")), true, true).build();
    var last = TraceCursor.lastSampling(q);
    assertEquals(HALF, last.level());
    assertEquals(35, last.measuredPermille());
    assertNull(TraceCursor.lastSampling(capture(new TraceBuilder(tmp.resolve("u")), true, false).build()));
  }

  @Test
  void sampledCapture_analyzesOnlyTheKeysCapturedToTheEnd() throws Exception {
    Path out = tmp.resolve("out");
    AnalysisResult r = Analysis.run(List.of(capture(new TraceBuilder(tmp.resolve("q")), true, true).build()),
        Criteria.DEFAULTS, AnalysisOptions.DEFAULTS.withRowsCsv(Files.createDirectories(out).resolve("rows.csv")));

    var lu = r.detectors().lostUpdates();
    assertEquals(1, lu.lostUpdates(), "the race on the kept key only");
    assertEquals(1, lu.staleWrites());
    assertEquals(3, lu.windows(), "A, B and E on the kept key");
    assertEquals(1, lu.overlappingWindows());
    assertTrue(lu.examples().stream().allMatch(e -> e.steps().stream().noneMatch(s -> "C".equals(s.requestId())
        || "D".equals(s.requestId()))), "no example from the excluded key");
    var inv = r.detectors().invariant();
    assertEquals(1L, inv.mismatch());
    assertEquals(1, inv.keysChecked());
    assertEquals(3, inv.confirmed());
    assertEquals(List.of(KEPT), r.detectors().hotKeys().byTraffic().stream().map(Results.HotKey::key).toList());
    assertEquals(1, r.detectors().hotKeys().byTraffic().get(0).lostUpdates());
    assertEquals(0, r.detectors().duplicates().duplicateConfirmations());
    assertEquals(3, r.detectors().queueing().requestsWithArrival(), "the excluded key's arrivals are gone too");
    assertEquals(0, r.detectors().queueing().arrivalsWithoutRequest());
    assertEquals(3, r.latency().count());
    assertEquals(3, r.detectors().retries().requestsWithStorage());

    assertEquals(20, r.input().rows(), "rows read");
    assertEquals(12, r.summary().rows(), "rows analyzed");
    assertEquals(1, r.summary().keys());
    assertEquals(3, r.summary().requests());

    var s = r.sampling();
    assertNotNull(s);
    assertFalse(s.coversAllKeys());
    assertEquals(HALF, s.effectiveLevel());
    assertEquals(50.0, s.keySpacePercent());
    assertEquals(1, s.keysAnalyzed());
    assertEquals(1, s.keysExcluded());
    assertEquals(8, s.rowsExcluded());
    assertEquals(NOT_CAPTURED, s.rowsNotCaptured());
    assertEquals("The agent shed load by sampling whole keys: the analysis is exact for the 1 key captured to the"
        + " end (50% of the key space); 1 key with a partial history was excluded (8 rows).", s.statement());
    var w = s.workers().get(0);
    assertEquals(1, s.workers().size());
    assertEquals("worker-1", w.workerId());
    assertTrue(w.sampled());
    assertEquals(2.0, w.budgetPercent());
    assertEquals(HALF, w.finalLevel());
    assertEquals(50.0, w.finalKeySpacePercent());
    assertEquals(1, w.cuts());
    assertEquals(TraceBuilder.WALL0 + 500_000, w.firstCutWallNanos());
    assertEquals(0.0005, w.firstCutAfterSeconds(), 1e-12);
    assertEquals(3.5, w.measuredPercentAtFirstCut());
    assertEquals(3.5, w.measuredPercentAtLastCut());
    assertEquals(NOT_CAPTURED, w.droppedSampled());

    // Rows not captured by sampling are known loss: the capture is valid.
    var comp = r.completeness();
    assertEquals("valid", comp.verdict(), comp.reasons().toString());
    assertEquals(0, comp.rowsDroppedByAgent());
    assertEquals(0, comp.rowsKnownMissing());
    assertEquals(1.0, comp.capturedShare());
    assertEquals(NOT_CAPTURED, r.input().queues().get(0).counters().droppedSampled());

    // The lost update fails the release; the coverage row is there too.
    assertEquals("do_not_release", r.release().decision());
    var cov = r.release().table().stream().filter(x -> x.id().equals("keyCoverage")).findFirst().orElseThrow();
    assertEquals("conditional pass", cov.status());
    assertEquals(50.0, cov.measured());

    // rows.csv: the 12 kept rows, numbered 0..11, none of the excluded key.
    List<String> csv = Files.readAllLines(out.resolve("rows.csv"));
    assertEquals(13, csv.size());
    assertTrue(csv.stream().noneMatch(l -> l.contains(CUT)), "excluded key in rows.csv");
    for (int i = 1; i < csv.size(); i++) {
      assertTrue(csv.get(i).startsWith((i - 1) + ","), csv.get(i));
    }
    // Untimed reads have no duration; the timeline example's row numbers are rows.csv lines.
    String read = csv.stream().filter(l -> l.contains(",READ,")).findFirst().orElseThrow();
    assertEquals("", read.split(",", -1)[11], "duration_us of an untimed read: " + read);
    String write = csv.stream().filter(l -> l.contains(",WRITE,")).findFirst().orElseThrow();
    assertEquals("10", write.split(",", -1)[11], write);
    var ex = r.rootCause().example();
    for (var step : ex.steps()) {
      String line = csv.get((int) step.seq() + 1);
      assertTrue(line.contains("," + step.requestId() + ","), line + " for " + step);
    }
  }

  @Test
  void theSameCaptureWithoutSamplingRecords_reportsBothLostUpdates() throws Exception {
    AnalysisResult r = analyze(capture(new TraceBuilder(tmp.resolve("q")), true, false));
    assertNull(r.sampling());
    assertEquals(2, r.detectors().lostUpdates().lostUpdates());
    assertEquals(2L, r.detectors().invariant().mismatch());
    assertEquals(2, r.summary().keys());
    assertEquals(20, r.summary().rows());
    assertEquals(20, r.input().rows());
    assertEquals("valid", r.completeness().verdict());
    assertTrue(r.release().table().stream().noneMatch(x -> x.id().equals("keyCoverage")));
    assertEquals("do_not_release", r.release().decision());
    assertFalse(JsonReport.toJson(r).contains("\"sampling\""), "no sampling block when the agent never sampled");
  }

  @Test
  void sampledCapture_isAtBestACanary_andSaysWhatItCovers() throws Exception {
    AnalysisResult r = analyze(capture(new TraceBuilder(tmp.resolve("q")), false, true));
    assertEquals(0, r.detectors().lostUpdates().lostUpdates(), "the only race is on the excluded key");
    assertEquals(0L, r.detectors().invariant().mismatch());
    assertEquals("valid", r.completeness().verdict());
    var rel = r.release();
    assertEquals(List.of(), rel.blockers());
    assertEquals("canary", rel.decision());
    assertEquals(0, rel.exitCode());
    assertTrue(rel.decisionText().startsWith("Release to canary only: the agent sampled keys to stay within its"
        + " overhead budget, so the analysis covers 50% of keys (keys captured to the end and analyzed: 1; keys with"
        + " a partial history, excluded: 1)."), rel.decisionText());
    var cov = rel.table().get(1);
    assertEquals("keyCoverage", cov.id());
    assertEquals("50% of the key space", cov.display());
    assertEquals("conditional pass", cov.status());
    // Three requests: too few for a p99 or a rate verdict (SmallSampleTest), so those rows are not applicable.
    var rates = List.of("p99LatencyMs", "conflictResponsesPercent", "retryAmplification");
    assertTrue(rel.table().stream().filter(x -> !x.id().equals("keyCoverage") && !rates.contains(x.id()))
        .allMatch(x -> x.status().equals("pass")), rel.table().toString());
    assertTrue(rel.table().stream().filter(x -> rates.contains(x.id()))
        .allMatch(x -> x.status().equals("not applicable")), rel.table().toString());

    // Unsampled, the same rows fail on the race of the other key.
    AnalysisResult u = analyze(capture(new TraceBuilder(tmp.resolve("u")), false, false));
    assertEquals(1, u.detectors().lostUpdates().lostUpdates());
    assertEquals("do_not_release", u.release().decision());
  }

  @Test
  void budgetNeverExceeded_coversEveryKey_andCanRelease() throws Exception {
    TraceBuilder b = CompletenessTest.clean(new TraceBuilder(tmp.resolve("q")));
    for (int i = 0; i < 5; i++) {
      b.bucket("sku-" + i, 60_000 + i);
    }
    b.sampling(0, TraceSchema.SAMPLE_ALL, 50, 0);
    AnalysisResult r = analyze(b);
    var s = r.sampling();
    assertTrue(s.coversAllKeys());
    assertEquals(TraceSchema.SAMPLE_ALL, s.effectiveLevel());
    assertEquals(100.0, s.keySpacePercent());
    assertEquals(0, s.rowsExcluded());
    assertEquals(0, s.keysExcluded());
    assertEquals(5, s.keysAnalyzed());
    assertEquals(0, s.workers().get(0).cuts());
    assertNull(s.workers().get(0).firstCutWallNanos());
    assertNull(s.workers().get(0).measuredPercentAtFirstCut());
    assertEquals(5.0, s.workers().get(0).budgetPercent());
    assertTrue(s.statement().contains("never needed to sample"), s.statement());
    assertEquals("release", r.release().decision(), r.release().toString());
    assertTrue(r.release().table().stream().noneMatch(x -> x.id().equals("keyCoverage")));
  }

  @Test
  void unknownLossBesidesSampling_isStillInvalid() throws Exception {
    TraceBuilder b = capture(new TraceBuilder(tmp.resolve("q")), false, true);
    b.counters(new CaptureCounters(20 + 3 + NOT_CAPTURED, 20, 3, 0, 0, NOT_CAPTURED, 0, 0));
    AnalysisResult r = analyze(b);
    var comp = r.completeness();
    assertEquals("invalid", comp.verdict());
    assertEquals(3, comp.rowsDroppedByAgent());
    assertEquals(3, comp.rowsKnownMissing());
    assertEquals(20.0 / 23, comp.capturedShare(), 1e-12);
    assertEquals("worker worker-1 (" + r.input().queues().get(0).path() + "): the agent lost 3 of 27 rows (ring full 3,"
        + " disk low 0, write errors 0), besides the 4 it did not capture by key sampling", comp.reasons().get(0));
    assertEquals("recapture", r.release().decision());
  }

  @Test
  void sampledRowsCountedWithoutASamplingRecord_leaveCompletenessUnknown() throws Exception {
    TraceBuilder b = capture(new TraceBuilder(tmp.resolve("q")), false, false);
    b.counters(new CaptureCounters(24, 20, 0, 0, 0, 4, 0, 0));
    AnalysisResult r = analyze(b);
    assertNull(r.sampling());
    assertEquals("unknown", r.completeness().verdict());
    assertTrue(r.completeness().reasons().get(0).contains("4 rows not captured by sampling but wrote no sampling"
        + " record"), r.completeness().reasons().toString());
    assertEquals(0, r.completeness().rowsDroppedByAgent());
    assertEquals("do_not_release", r.release().decision(), "the race on the other key is analyzed");
  }

  /** The effective level is the lowest final level: a key one worker kept to the end is still excluded. */
  @Test
  void twoWorkers_effectiveLevelIsTheLowestFinalLevel() throws Exception {
    TraceBuilder w1 = new TraceBuilder(tmp.resolve("w1")).worker("w1").bucket("sku-low", 10).bucket("sku-mid", 40_000);
    TraceBuilder w2 = new TraceBuilder(tmp.resolve("w2")).worker("w2").bucket("sku-low", 10).bucket("sku-mid", 40_000);
    w1.sampling(0, TraceSchema.SAMPLE_ALL, 20, 0).sampling(50, 49_152, 20, 31).sampling(300, HALF, 20, 28);
    w2.sampling(0, TraceSchema.SAMPLE_ALL, 20, 0);
    rmw(w1, 11, "A", "sku-low", 1, 10, 0);
    rmw(w2, 11, "B", "sku-mid", 1, 10, 100);
    rmw(w2, 11, "C", "sku-low", 2, 9, 400);
    Path capture = Files.createDirectory(tmp.resolve("capture"));
    Files.move(w1.build(), capture.resolve("w1"));
    Files.move(w2.build(), capture.resolve("w2"));
    AnalysisResult r = Analysis.run(List.of(capture), Criteria.DEFAULTS);
    var s = r.sampling();
    assertEquals(HALF, s.effectiveLevel());
    assertEquals(3, s.rowsExcluded());
    assertEquals(1, s.keysExcluded());
    assertEquals(1, s.keysAnalyzed());
    assertEquals(2, s.workers().size());
    var a = s.workers().get(0);
    assertEquals(HALF, a.finalLevel());
    assertEquals(2, a.cuts());
    assertEquals(TraceBuilder.WALL0 + 50_000, a.firstCutWallNanos());
    assertEquals(3.1, a.measuredPercentAtFirstCut());
    assertEquals(2.8, a.measuredPercentAtLastCut());
    var b = s.workers().get(1);
    assertTrue(b.sampled());
    assertEquals(TraceSchema.SAMPLE_ALL, b.finalLevel());
    assertEquals(0, b.cuts());
    assertEquals(List.of("sku-low"), r.detectors().hotKeys().byTraffic().stream().map(Results.HotKey::key).toList());
    assertEquals(2, r.summary().requests());
    assertTrue(r.release().table().stream().anyMatch(x -> x.id().equals("keyCoverage")));
    assertNotEquals("release", r.release().decision());
  }

  @Test
  void reports_showTheSamplingNextToCompleteness() throws Exception {
    Path q = capture(new TraceBuilder(tmp.resolve("q")), false, true).build();
    Path out = tmp.resolve("out");
    Cli c = Cli.run("analyze", q.toString(), "--out", out.toString());
    assertEquals(0, c.exit(), c.out() + c.err());
    assertTrue(c.out().contains("KEY SAMPLING: The agent shed load by sampling whole keys"), c.out());
    assertTrue(c.out().contains("decision: canary - Release to canary only: the agent sampled keys"), c.out());

    String md = Files.readString(out.resolve("report.md"));
    int statement = md.indexOf("**Key sampling:** The agent shed load by sampling whole keys: the analysis is exact"
        + " for the 1 key captured to the end (50% of the key space); 1 key with a partial history was excluded"
        + " (8 rows).");
    assertTrue(statement > md.indexOf("Completeness: **valid**") && statement < md.indexOf("## Release criteria"), md);
    int section = md.indexOf("### Key sampling");
    assertTrue(section > md.indexOf("## Capture") && section < md.indexOf("| Queue | Worker |"), md);
    assertTrue(md.contains("| worker-1 | 2% | 32,768 (50%) | 1 | 0.500 ms after start (2023-11-14T22:13:20.000500Z)"
        + " | 3.5% | 4 |"), md);
    assertTrue(md.contains("| key coverage (agent sampling) | 50% of the key space | 100% (no sampling) |"
        + " **conditional pass** |"), md);

    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<div class=\"callout sampling partial\" id=\"sampling\"><b>Key sampling:</b> The agent shed"
        + " load by sampling whole keys"), html);
    assertTrue(html.contains("<h3 id=\"key-sampling\">Key sampling</h3>"), html);
    assertTrue(html.indexOf("id=\"sampling\"") < html.indexOf("<h2 id=\"release-criteria\">Release criteria</h2>"));

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    List<String> top = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(top::add);
    assertEquals(top.indexOf("completeness") + 1, top.indexOf("sampling"), top.toString());
    JsonNode s = json.path("sampling");
    assertEquals(HALF, s.path("effectiveLevel").asInt());
    assertEquals(50.0, s.path("keySpacePercent").asDouble());
    assertEquals(1, s.path("keysExcluded").asLong());
    assertEquals(8, s.path("rowsExcluded").asLong());
    assertEquals(4, s.path("rowsNotCaptured").asLong());
    assertEquals(3.5, s.path("workers").get(0).path("measuredPercentAtFirstCut").asDouble());
    AnalysisResult back = JsonReport.read(out.resolve("report.json"));
    assertEquals(HALF, back.sampling().effectiveLevel());
  }
}
