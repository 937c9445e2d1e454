package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import io.racetrace.trace.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The criteria's warm-up: requests that arrived in the first seconds after the capture began are
 * kept out of the latency and queue-delay verdicts, counted apart with their slowest, and still
 * counted by every correctness detector.
 */
class WarmupTest {
  static final int REQUESTS = 300;
  static final long GAP_US = 33_000;
  /** The requests arriving in the first second wait 200 ms for a worker; the rest 1 ms. */
  static final long SLOW_UNTIL_US = 1_000_000;

  @TempDir Path tmp;
  Path queue;
  int slow;
  int inFirstTwoSeconds;

  /** {@value #REQUESTS} requests on four keys, one every 33 ms, and one lost update at 0.5 s. */
  @BeforeEach
  void capture() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    long[] version = new long[4];
    long[] stock = {1000, 1000, 1000, 1000};
    for (int i = 0; i < REQUESTS; i++) {
      long arrival = i * GAP_US;
      slow += arrival < SLOW_UNTIL_US ? 1 : 0;
      inFirstTwoSeconds += arrival < 2_000_000 ? 1 : 0;
      String id = "r" + i;
      String key = "sku-" + (i % 4);
      int k = i % 4;
      long start = arrival + (arrival < SLOW_UNTIL_US ? 200_000 : 1_000);
      b.arrival(11, id, key, arrival);
      b.request(12 + i % 3, id, key, Result.SUCCESS, start, start + 2_000);
      b.read(12 + i % 3, id, key, version[k], stock[k], start + 10, start + 20);
      b.write(12 + i % 3, id, key, version[k] + 1, stock[k] - 1, start + 30, start + 40);
      version[k]++;
      stock[k]--;
    }
    // One lost update inside the warm-up: two requests read sku-race's version 0, both write 1.
    b.arrival(11, "x1", "sku-race", 500_000);
    b.arrival(11, "x2", "sku-race", 500_001);
    b.request(20, "x1", "sku-race", Result.SUCCESS, 500_100, 500_900);
    b.request(21, "x2", "sku-race", Result.SUCCESS, 500_110, 500_950);
    b.read(20, "x1", "sku-race", 0, 10, 500_200, 500_210);
    b.read(21, "x2", "sku-race", 0, 10, 500_220, 500_230);
    b.write(20, "x1", "sku-race", 1, 9, 500_300, 500_310);
    b.write(21, "x2", "sku-race", 1, 9, 500_320, 500_330);
    queue = b.build();
  }

  static ReleaseRow row(AnalysisResult r, String id) {
    return r.release().table().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void withoutWarmup_theFirstSecondsQueueDelayFailsTheRun() throws Exception {
    AnalysisResult r = Analysis.run(List.of(queue), Criteria.DEFAULTS);
    assertNull(r.latency().warmup());
    assertEquals("fail", row(r, "maxQueueDelayMs").status());
    assertEquals("fail", row(r, "p99LatencyMs").status());
    assertEquals(REQUESTS + 2, r.latency().count());
    assertEquals(slow, r.detectors().queueing().requestsOverTarget());
  }

  @Test
  void aTwoSecondWarmup_leavesThoseRequestsOut_countsThemApart_andKeepsTheLostUpdate() throws Exception {
    AnalysisResult r = Analysis.run(List.of(queue), Criteria.DEFAULTS.withWarmupSeconds(2.0));
    var w = r.latency().warmup();
    assertNotNull(w);
    assertEquals(2.0, w.seconds());
    assertEquals(inFirstTwoSeconds + 2, w.requests()); // and the two racing requests at 0.5 s
    assertEquals(200.0, w.maxQueueDelayMs(), 0.001);
    assertEquals(202.0, w.maxLatencyMs(), 0.01);
    assertEquals(REQUESTS - inFirstTwoSeconds, r.latency().count());
    assertEquals(REQUESTS - inFirstTwoSeconds, r.detectors().queueing().requestsWithArrival());
    assertEquals(1.0, r.detectors().queueing().maxMs(), 0.001);
    assertEquals(0, r.detectors().queueing().requestsOverTarget());
    assertEquals(List.of(), r.detectors().queueing().bucketsOverTargetMs());
    assertEquals("pass", row(r, "maxQueueDelayMs").status());
    assertEquals("pass", row(r, "p99LatencyMs").status());
    assertTrue(row(r, "p99LatencyMs").evidence().contains("not judged: " + (inFirstTwoSeconds + 2)
        + " requests of the 2 s warm-up"), row(r, "p99LatencyMs").evidence());
    // Correctness is judged over the whole capture, warm-up included.
    assertEquals(1, r.detectors().lostUpdates().lostUpdates());
    assertEquals("fail", row(r, "invariantMismatch").status());
    assertEquals(REQUESTS + 2, r.summary().requests());
  }

  @Test
  void theReportWithAWarmup_followsTheReportSchema_andSaysWhatWasLeftOut() throws Exception {
    AnalysisResult r = Analysis.run(List.of(queue), Criteria.DEFAULTS.withWarmupSeconds(2.0));
    Path out = tmp.resolve("out");
    io.racetrace.analyzer.report.ReportWriter.writeAll(r, out);
    var json = Schemas.JSON.readTree(out.resolve("report.json").toFile());
    assertEquals(List.of(), Schemas.errors(Schemas.report(), json));
    assertEquals(inFirstTwoSeconds + 2, json.path("latency").path("warmup").path("requests").asLong());
    assertEquals(2.0, json.path("release").path("criteria").path("warmupSeconds").asDouble());
    String sentence = "The first 2 s after the capture began are a warm-up";
    assertTrue(java.nio.file.Files.readString(out.resolve("report.md")).contains(sentence));
    assertTrue(java.nio.file.Files.readString(out.resolve("report.html")).contains(sentence));
  }

  @Test
  void keysOverThreePartitions_giveTheSameWarmupAndLatency() throws Exception {
    Criteria c = Criteria.DEFAULTS.withWarmupSeconds(2.0);
    AnalysisResult one = Analysis.run(List.of(queue), c);
    AnalysisResult three = Analysis.run(List.of(queue), c, AnalysisOptions.DEFAULTS.withPartitions(3));
    assertEquals(one.latency(), three.latency());
    assertEquals(one.detectors().queueing(), three.detectors().queueing());
    assertEquals(one.release().table(), three.release().table());
  }

  @Test
  void aWarmupLongerThanTheCapture_leavesLatencyNotApplicable_notNotMeasured() throws Exception {
    AnalysisResult r = Analysis.run(List.of(queue), Criteria.DEFAULTS.withWarmupSeconds(60.0));
    assertEquals(0, r.latency().count());
    assertEquals(REQUESTS + 2, r.latency().warmup().requests());
    assertEquals("not applicable", row(r, "p99LatencyMs").status(), row(r, "p99LatencyMs").toString());
    assertEquals("not applicable", row(r, "maxQueueDelayMs").status(), row(r, "maxQueueDelayMs").toString());
    assertTrue(row(r, "p99LatencyMs").evidence().contains("every request (302) arrived in the 60 s warm-up"));
    assertEquals("fail", row(r, "invariantMismatch").status(), "correctness still judged");
  }

  @Test
  void theTimelineStillShowsTheWarmupsQueueDelay() throws Exception {
    AnalysisResult r = Analysis.run(List.of(queue), Criteria.DEFAULTS.withWarmupSeconds(2.0));
    double max = r.timeline().buckets().stream().filter(b -> b.maxQueueDelayMs() != null)
        .mapToDouble(b -> b.maxQueueDelayMs()).max().orElse(0);
    assertEquals(200.0, max, 0.001);
  }
}
