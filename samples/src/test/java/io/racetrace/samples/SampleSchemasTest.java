package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.racetrace.analyzer.cli.AnalyzerMain;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The reports of the checked-in sample captures, analyzed now and as checked in, and their
 * comparison, validate against analyzer/report.schema.json and compare.schema.json.
 */
class SampleSchemasTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static Schema schema(String name) throws Exception {
    try (InputStream in = Files.newInputStream(ServiceProcess.ROOT.resolve("analyzer").resolve(name))) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    }
  }

  static List<String> errors(Schema s, Path json) throws Exception {
    return s.validate(JSON.readTree(json.toFile())).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
  }

  @Test
  void sampleReports_analyzedNowAndCheckedIn_matchTheReportSchema() throws Exception {
    Schema report = schema("report.schema.json");
    for (String name : SampleQueues.names()) {
      Path out = tmp.resolve(name);
      SampleQueues.writeReports(SampleQueues.analyze(name), out);
      assertEquals(List.of(), errors(report, out.resolve("report.json")), "samples/queues/" + name);
      assertEquals(List.of(), errors(report, SampleQueues.EXPECTED.resolve(name).resolve("report.json")),
          "samples/expected/" + name);
    }
  }

  @Test
  void comparisonOfTheSamples_matchesTheCompareSchema_withNumbersForFigures() throws Exception {
    Path out = tmp.resolve("cmp");
    CommandLine cl = AnalyzerMain.commandLine();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute("compare", SampleQueues.QUEUES.resolve("baseline-unsafe").toString(),
        SampleQueues.QUEUES.resolve("retest-conditional").toString(), "--out", out.toString());
    assertEquals(0, exit, err.toString());
    assertEquals(List.of(), errors(schema("compare.schema.json"), out.resolve("compare.json")));
    JsonNode cmp = JSON.readTree(out.resolve("compare.json").toFile());
    JsonNode invariant = null;
    for (JsonNode row : cmp.get("rows")) {
      invariant = row.get("id").asText().equals("invariantMismatch") ? row : invariant;
    }
    assertNotNull(invariant, cmp.toString());
    assertEquals(107.0, invariant.get("baseline").asDouble(), "the baseline sample's mismatch");
    assertEquals(0.0, invariant.get("retest").asDouble());
  }
}
