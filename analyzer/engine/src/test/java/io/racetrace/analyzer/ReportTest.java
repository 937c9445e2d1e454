package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.racetrace.synthetic.SyntheticCapture;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.report.JsonReport;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four outputs of analyze, and the compare command. */
class ReportTest {
  @TempDir Path tmp;

  @Test
  void analyze_writesMarkdownHtmlJsonAndEveryRowAsCsv() throws Exception {
    Path q = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("q"))).build();
    Path out = tmp.resolve("out");
    Cli c = Cli.run("analyze", q.toString(), "--out", out.toString());
    assertEquals(1, c.exit(), c.err());
    assertTrue(c.out().contains("decision: do_not_release"), c.out());

    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("| Time (ms) | Client A (A), update erased | Client B (B), erased it | Row |"), md);
    assertTrue(md.contains("| 0.020–0.030 | read I=1 (v7) |  | #2 worker-1 thread 11 |"), md);
    assertTrue(md.contains("| invariant mismatch | 1 | 0 | **fail** |"), md);

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(AnalysisResult.SCHEMA_VERSION, json.get("schemaVersion").asInt());
    assertEquals("do_not_release", json.at("/release/decision").asText());
    assertEquals(1, json.at("/detectors/lostUpdates/staleWrites").asInt());
    assertEquals("race", json.at("/rootCause/primary").asText());
    AnalysisResult back = JsonReport.read(out.resolve("report.json"));
    assertEquals(1, back.detectors().lostUpdates().staleWrites());

    try (Reader r = Files.newBufferedReader(out.resolve("rows.csv"))) {
      List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)
          .getRecords();
      assertEquals(8, rows.size());
      assertEquals("ARRIVAL", rows.get(0).get("kind"));
      CSVRecord staleWrite = rows.get(5);
      assertEquals("WRITE", staleWrite.get("kind"));
      assertEquals("B", staleWrite.get("request_id"));
      assertEquals("8", staleWrite.get("written_version"));
      assertEquals("", staleWrite.get("read_version"));
      assertEquals("5", staleWrite.get("seq"));
    }
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<svg class=\"swimlane\""));
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
        "no network references but the SVG namespace");
    assertFalse(html.contains("<script src") || html.contains("<link "), "self-contained");
  }

  @Test
  void compare_retestTable_andSameWorkloadCheck() throws Exception {
    var base = SyntheticCapture.Params.defaults(20_000).withLoad(100, 3000, 1_000_000);
    SyntheticCapture.generate(tmp.resolve("baseline"), base);
    SyntheticCapture.generate(tmp.resolve("retest"), base.withConditional(true));
    Path bOut = tmp.resolve("b-out");
    assertEquals(1, Cli.run("analyze", tmp.resolve("baseline").toString(), "--out", bOut.toString()).exit());

    // Baseline from its report.json, retest from its queues.
    Cli same = Cli.run("compare", bOut.toString(), tmp.resolve("retest").toString(), "--out", tmp.resolve("cmp").toString());
    assertTrue(same.out().contains("| invariant mismatch | "), same.out());
    assertTrue(same.out().contains("comparable workloads"), same.out());
    assertTrue(Files.exists(tmp.resolve("cmp/compare.json")));
    String[] inv = same.out().lines().filter(l -> l.startsWith("| invariant mismatch |")).findFirst().orElseThrow()
        .split("\\|");
    assertNotEquals("0", inv[2].trim(), "baseline lost updates");
    assertEquals("0", inv[3].trim(), "retest");

    // compare.json: figures are numbers a tool can compare, the display strings only beside them.
    JsonNode cmp = new ObjectMapper().readTree(tmp.resolve("cmp/compare.json").toFile());
    assertEquals(1, cmp.get("schemaVersion").asInt());
    for (JsonNode row : cmp.get("rows")) {
      for (String f : new String[] {"baseline", "retest"}) {
        assertTrue(row.get(f).isNumber() || row.get(f).isNull(), f + " of " + row);
        assertTrue(row.get(f + "Display").isTextual(), f + "Display of " + row);
      }
    }
    JsonNode invRow = row(cmp, "invariantMismatch");
    assertEquals(Double.parseDouble(inv[2].trim()), invRow.get("baseline").asDouble());
    assertEquals(0.0, invRow.get("retest").asDouble());
    JsonNode conflicts = row(cmp, "conditionalWriteConflictRate");
    assertTrue(conflicts.get("retest").asDouble() > 0 && conflicts.get("retest").asDouble() < 1, conflicts.toString());
    assertTrue(conflicts.get("retestDisplay").asText().endsWith("%"), conflicts.toString());

    // A retest with a tenth of the keys' contention: flagged.
    SyntheticCapture.generate(tmp.resolve("easy"), base.withConditional(true).withLoad(2000, 1000, 1_000_000));
    Cli other = Cli.run("compare", bOut.toString(), tmp.resolve("easy").toString());
    assertTrue(other.out().contains("WARNING: the two captures did not run the same workload"), other.out());
    assertTrue(other.out().contains("collided less"), other.out());
    assertTrue(other.out().contains("keys touched differ"), other.out());
  }

  /**
   * The same offered schedule with a slower retest: the captured rates differ by what each service
   * managed (3,000 vs 2,000 req/s here), which the load generator's ground truth shows is not a
   * different workload. A different schedule, and a generator that fell behind its own, are warned.
   */
  @Test
  void compare_sameOfferedSchedule_fromTheGeneratorsGroundTruth() throws Exception {
    var base = SyntheticCapture.Params.defaults(20_000).withLoad(100, 3000, 1_000_000);
    Path b = tmp.resolve("run-b/load");
    Path r = tmp.resolve("run-r/load");
    SyntheticCapture.generate(b.resolve("queue"), base);
    SyntheticCapture.generate(r.resolve("queue"), base.withConditional(true).withLoad(100, 2000, 1_000_000));
    String same = groundTruth("sha256:aaaa", 20_000, 24.8);
    Files.writeString(b.resolve("ground-truth.json"), same);
    Files.writeString(r.resolve("ground-truth.json"), same);

    Cli plain = Cli.run("compare", b.resolve("queue").toString(), r.resolve("queue").toString(), "--out",
        tmp.resolve("cmp").toString());
    assertTrue(plain.out().contains("Both runs were offered the same workload"), plain.out());
    assertFalse(plain.out().contains("request rate (req/s) differ"), "rates are the services' speed, not the load: " + plain.out());
    JsonNode cmp = new ObjectMapper().readTree(tmp.resolve("cmp/compare.json").toFile());
    assertTrue(cmp.at("/offeredWorkload/sameSchedule").asBoolean(), cmp.toString());
    assertEquals(20_000, cmp.at("/offeredWorkload/retest/planned").asLong());

    // Without the ground truth the same captures are warned about, from their rates.
    Path bare = tmp.resolve("bare");
    SyntheticCapture.generate(bare, base.withConditional(true).withLoad(100, 2000, 1_000_000));
    Cli noTruth = Cli.run("compare", b.resolve("queue").toString(), bare.toString());
    assertTrue(noTruth.out().contains("request rate (req/s) differ"), noTruth.out());

    Files.writeString(r.resolve("ground-truth.json"), groundTruth("sha256:bbbb", 20_000, 180.5));
    Cli other = Cli.run("compare", b.resolve("queue").toString(), r.resolve("queue").toString(), "--out",
        tmp.resolve("cmp2").toString());
    assertTrue(other.out().contains("the load generator offered different workloads"), other.out());
    assertTrue(other.out().contains("invalid load in the retest: the load generator fell behind its schedule by up to"
        + " 180.5 ms"), other.out());
    assertTrue(other.out().contains("request rate (req/s) differ"), "not verified the same: the rates count again");
    JsonNode cmp2 = new ObjectMapper().readTree(tmp.resolve("cmp2/compare.json").toFile());
    assertFalse(cmp2.at("/offeredWorkload/sameSchedule").asBoolean(true), cmp2.toString());
    // Invalid load: the latency rows are not judged; the others are.
    for (JsonNode row : cmp2.path("rows")) {
      boolean latency = row.path("id").asText().equals("p99LatencyMs") || row.path("id").asText().equals("maxQueueDelayMs");
      assertEquals(latency, row.path("retestStatus").asText().equals("invalid load"), row.toString());
    }
    assertTrue(cmp.path("rows").findValuesAsText("retestStatus").stream().noneMatch("invalid load"::equals));
  }

  @Test
  void compare_windowCollisionRate_isWarnedAbout_onlyWhenTheScheduleIsNotVerifiedTheSame() {
    var base = new io.racetrace.analyzer.model.Results.Workload(7191, 5, 30, 240.0, 400.0, 0.5, "sku-hot", 0.025, 1000L,
        List.of("p"));
    var retest = new io.racetrace.analyzer.model.Results.Workload(7191, 5, 30, 237.0, 395.0, 0.5, "sku-hot", 0.017,
        1000L, List.of("p"));
    assertEquals(List.of(), io.racetrace.analyzer.compare.Comparison.workloadWarnings(base, retest, true));
    List<String> unverified = io.racetrace.analyzer.compare.Comparison.workloadWarnings(base, retest, false);
    assertEquals(1, unverified.size(), unverified.toString());
    assertTrue(unverified.get(0).startsWith("the retest's read-modify-write windows collided less"), unverified.get(0));
  }

  /** The fields of the load generator's ground-truth.json that say what it offered. */
  static String groundTruth(String scheduleDigest, long planned, double maxSendLagMillis) {
    return "{\"schema\": \"racetrace.workload.ground-truth/1\", \"profile\": \"seed-peak\", \"workloadSeed\": 42,"
        + " \"workloadFingerprint\": \"sha256:ffff\", \"scheduleDigest\": \"" + scheduleDigest + "\","
        + " \"requests\": {\"planned\": " + planned + ", \"maxSendLagMillis\": " + maxSendLagMillis + "}}";
  }

  static JsonNode row(JsonNode compareJson, String id) {
    for (JsonNode r : compareJson.get("rows")) {
      if (r.get("id").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no row " + id + " in " + compareJson);
  }

  @Test
  void compare_badInput_exitsTwo() throws Exception {
    Path notJson = Files.createDirectory(tmp.resolve("x"));
    Files.writeString(notJson.resolve("report.json"), "{ nope");
    BadInputTest.assertOneLineError(Cli.run("compare", notJson.toString(), notJson.toString()), "report.json",
        "not a readable report.json");
  }
}
