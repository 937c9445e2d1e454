package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code racetrace report} on input it cannot use: one line on stderr naming the file and the
 * field, exit 2, no stack trace, and no release files left behind; and release.json's schema refuses
 * a package that lacks a field, adds one, or carries a status nobody documented.
 */
class ReleaseBadInputTest {
  @TempDir Path tmp;

  Path phase(String sample) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(sample));
    Files.copy(ReleasePackageTest.EXPECTED.resolve(sample).resolve("report.json"), d.resolve("report.json"));
    return d;
  }

  private Cli report(Path baseline, Path retest) {
    return Cli.run("report", "--baseline", baseline.toString(), "--retest", retest.toString(), "--out",
        tmp.resolve("release").toString());
  }

  private void assertOneLine(Cli c, String... parts) {
    assertEquals(2, c.exit(), c.out() + c.err());
    assertEquals(1, c.errLines().length, c.err());
    for (String p : parts) {
      assertTrue(c.err().contains(p), "stderr names " + p + ": " + c.err());
    }
    assertFalse(c.err().contains("Exception") || c.err().contains("\tat "), c.err());
    assertFalse(Files.exists(tmp.resolve("release/release.json")), "no package from bad input");
  }

  @Test
  void aMissingReportJson_namesTheFile() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertOneLine(report(phase("baseline-unsafe"), empty), empty.resolve("report.json").toString(), "no report.json");
  }

  @Test
  void anUnreadableReportJson_namesTheFile() throws Exception {
    Path bad = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(bad.resolve("report.json"), "{\"schemaVersion\": 1, \"release\": ");
    assertOneLine(report(phase("baseline-unsafe"), bad), bad.resolve("report.json").toString(), "not a readable report.json");
  }

  @Test
  void aReportWithoutItsReleaseSection_namesTheField() throws Exception {
    Path retest = phase("retest-conditional");
    ObjectNode r = (ObjectNode) Schemas.JSON.readTree(retest.resolve("report.json").toFile());
    r.remove("release");
    Schemas.JSON.writeValue(retest.resolve("report.json").toFile(), r);
    assertOneLine(report(phase("baseline-unsafe"), retest), "report.json: release: missing");
  }

  @Test
  void reportsOfUnrelatedRuns_nameTheFieldThatDiffers() throws Exception {
    // The reproduction started from 20 units on one key, the load phase from 300,000 on three.
    assertOneLine(report(phase("baseline-unsafe"), phase("race-rendezvous-unsafe")),
        "race-rendezvous-unsafe/report.json: workload.initialStateTotal 20 is not the baseline's 300000");
  }

  @Test
  void groundTruthsOfDifferentWorkloads_nameTheFingerprint() throws Exception {
    Path base = phase("baseline-unsafe");
    Path retest = phase("retest-conditional");
    Files.writeString(base.resolve("ground-truth.json"), "{\"workloadFingerprint\":\"sha256:aaa\"}");
    Files.writeString(retest.resolve("ground-truth.json"), "{\"workloadFingerprint\":\"sha256:bbb\"}");
    assertOneLine(report(base, retest), retest.resolve("ground-truth.json").toString(),
        "workloadFingerprint sha256:bbb is not the baseline's sha256:aaa");
  }

  @Test
  void aMissingRetestOption_isAUsageError() throws Exception {
    Cli c = Cli.run("report", "--baseline", phase("baseline-unsafe").toString(), "--out", tmp.toString());
    assertEquals(2, c.exit());
    assertTrue(c.err().contains("--retest"), c.err());
  }

  @Test
  void releaseJson_missingAField_anUndocumentedField_orAnUnknownStatus_failsTheSchema() throws Exception {
    Path out = tmp.resolve("release");
    assertEquals(0, report(phase("baseline-unsafe"), phase("retest-conditional")).exit());
    Schema schema = Schemas.release();
    ObjectNode valid = (ObjectNode) Schemas.JSON.readTree(out.resolve("release.json").toFile());
    assertEquals(List.of(), Schemas.errors(schema, valid));

    ObjectNode noItems = valid.deepCopy();
    noItems.remove("items");
    assertViolation(schema, noItems, "", "items");

    ObjectNode extra = valid.deepCopy();
    ((ObjectNode) extra.get("capacity")).put("cores", 2);
    assertViolation(schema, extra, "/capacity", "cores");

    ObjectNode status = valid.deepCopy();
    ((ObjectNode) status.at("/items/0")).put("status", "closed");
    assertViolation(schema, status, "/items/0/status", "");

    ObjectNode stringNumber = valid.deepCopy();
    ((ObjectNode) stringNumber.get("retry")).put("storageAttemptsPerSecondAtPeak", "439/s");
    assertViolation(schema, stringNumber, "/retry/storageAttemptsPerSecondAtPeak", "string");
  }

  private static void assertViolation(Schema schema, com.fasterxml.jackson.databind.JsonNode doc, String where,
      String what) {
    List<String> errors = Schemas.errors(schema, doc);
    assertTrue(errors.stream().anyMatch(e -> e.startsWith(where + ":") && e.contains(what)),
        "expected a violation at " + where + " naming '" + what + "', got " + errors);
  }
}
