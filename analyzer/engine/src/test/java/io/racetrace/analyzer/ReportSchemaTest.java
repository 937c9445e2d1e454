package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import io.racetrace.synthetic.SyntheticCapture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports the analyzer really writes validate against analyzer/report.schema.json and
 * compare.schema.json, and the schemas are strict enough to refuse a report that lacks a field,
 * carries a string for a number, or a field nobody documented.
 */
class ReportSchemaTest {
  @TempDir Path tmp;

  @Test
  void reportsOfRacyConditionalAndKeySampledCaptures_matchTheSchema() throws Exception {
    Schema schema = Schemas.report();
    Path race = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("race"))).build();
    Path sampled = KeySamplingTest.capture(new TraceBuilder(tmp.resolve("sampled")), true, true).build();
    Path conditional = tmp.resolve("conditional");
    SyntheticCapture.generate(conditional,
        SyntheticCapture.Params.defaults(5_000).withLoad(100, 3000, 1_000_000).withConditional(true));
    for (Path q : List.of(race, sampled, conditional)) {
      Path out = tmp.resolve("out-" + q.getFileName());
      Cli c = Cli.run("analyze", q.toString(), "--out", out.toString(), "--no-rows-csv");
      assertNotEquals(2, c.exit(), c.err());
      JsonNode report = Schemas.JSON.readTree(out.resolve("report.json").toFile());
      assertEquals(List.of(), Schemas.errors(schema, report), "report of " + q.getFileName());
      assertEquals(q == sampled, report.has("sampling"), "sampling section only for a sampled capture");
    }
  }

  @Test
  void compareJson_matchesTheSchema() throws Exception {
    Path q = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("q"))).build();
    Path out = tmp.resolve("cmp");
    assertEquals(1, Cli.run("compare", q.toString(), q.toString(), "--out", out.toString()).exit());
    assertEquals(List.of(), Schemas.errors(Schemas.compare(), out.resolve("compare.json")));
  }

  @Test
  void reportMissingARequiredField_stringForANumber_orAnUndocumentedField_fails() throws Exception {
    Schema schema = Schemas.report();
    ObjectNode valid = (ObjectNode) Schemas.JSON.readTree(analyzedRace().toFile());
    assertEquals(List.of(), Schemas.errors(schema, valid), "the unmodified report is valid");

    ObjectNode noDecision = valid.deepCopy();
    ((ObjectNode) noDecision.get("release")).remove("decision");
    assertViolation(schema, noDecision, "/release", "decision");

    ObjectNode noSection = valid.deepCopy();
    noSection.remove("detectors");
    assertViolation(schema, noSection, "", "detectors"); // "" is the root

    ObjectNode stringCount = valid.deepCopy();
    ((ObjectNode) stringCount.get("summary")).put("requests", "2");
    assertViolation(schema, stringCount, "/summary/requests", "string");

    ObjectNode stringMeasure = valid.deepCopy();
    ((ObjectNode) stringMeasure.at("/release/table/0")).put("measured", "100 %");
    assertViolation(schema, stringMeasure, "/release/table/0/measured", "string");

    ObjectNode extra = valid.deepCopy();
    ((ObjectNode) extra.get("latency")).put("p999Ms", 1.0);
    assertViolation(schema, extra, "/latency", "p999Ms");

    ObjectNode badDecision = valid.deepCopy();
    ((ObjectNode) badDecision.get("release")).put("decision", "ship_it");
    assertViolation(schema, badDecision, "/release/decision", "");
  }

  @Test
  void compareWithAPercentStringForANumber_orWithoutRows_fails() throws Exception {
    Schema schema = Schemas.compare();
    Path q = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("q"))).build();
    assertEquals(1, Cli.run("compare", q.toString(), q.toString(), "--out", tmp.resolve("cmp").toString()).exit());
    ObjectNode valid = (ObjectNode) Schemas.JSON.readTree(tmp.resolve("cmp/compare.json").toFile());

    ObjectNode percent = valid.deepCopy();
    ((ObjectNode) percent.at("/rows/0")).put("retest", "12.3 %");
    assertViolation(schema, percent, "/rows/0/retest", "string");

    ObjectNode noRows = valid.deepCopy();
    noRows.set("rows", new ArrayNode(Schemas.JSON.getNodeFactory()));
    assertViolation(schema, noRows, "/rows", "");

    ObjectNode noExit = valid.deepCopy();
    noExit.remove("exitCode");
    assertViolation(schema, noExit, "", "exitCode");
  }

  private Path analyzedRace() throws Exception {
    Path q = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("neg"))).build();
    Path out = tmp.resolve("neg-out");
    assertEquals(1, Cli.run("analyze", q.toString(), "--out", out.toString(), "--no-rows-csv").exit());
    return out.resolve("report.json");
  }

  /** At least one violation at {@code where} whose message names {@code what}. */
  private static void assertViolation(Schema schema, JsonNode doc, String where, String what) {
    List<String> errors = Schemas.errors(schema, doc);
    assertTrue(errors.stream().anyMatch(e -> e.startsWith(where + ":") && e.contains(what)),
        "expected a violation at " + where + " naming '" + what + "', got " + errors);
  }
}
