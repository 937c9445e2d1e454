package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample capture under {@code samples/queues/} analyzes to its expected report under
 * {@code samples/expected/}: same counts, same root cause, same timeline rows, same decision.
 * Only the fields that name the moment or the machine of the analysis are left out of the
 * comparison. Regenerate both with {@code SampleQueuesGeneratorIT} when the analyzer's output is
 * meant to change.
 */
class SampleReportsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void everySampleQueue_analyzesToItsExpectedReport() throws Exception {
    List<String> names = SampleQueues.names();
    assertEquals(List.of("baseline-unsafe", "race-rendezvous-unsafe", "retest-conditional"), names);
    for (String name : names) {
      Path out = tmp.resolve(name);
      SampleQueues.writeReports(SampleQueues.analyze(name), out);
      JsonNode actual = normalize(JSON.readTree(out.resolve("report.json").toFile()));
      JsonNode expected = normalize(JSON.readTree(SampleQueues.EXPECTED.resolve(name).resolve("report.json").toFile()));
      assertEquals(expected.toPrettyString(), actual.toPrettyString(), "report of samples/queues/" + name);
    }
  }

  /** The samples were captured by a schema-version-1 agent: the current reader must keep reading them. */
  @Test
  void sampleQueues_areVersion1Captures_withoutSampling() throws Exception {
    for (String name : SampleQueues.names()) {
      Path q = SampleQueues.QUEUES.resolve(name);
      try (io.racetrace.trace.TraceCursor c = io.racetrace.trace.TraceCursor.open(q)) {
        assertEquals(io.racetrace.trace.TraceCursor.Record.HEADER, c.next(), name);
        assertEquals(1, c.header().schemaVersion(), name);
      }
      assertNull(io.racetrace.trace.TraceCursor.lastSampling(q), name);
      assertFalse(JSON.readTree(SampleQueues.EXPECTED.resolve(name).resolve("report.json").toFile()).has("sampling"));
    }
  }

  @Test
  void samples_tellTheStory() throws Exception {
    JsonNode base = JSON.readTree(SampleQueues.EXPECTED.resolve("baseline-unsafe/report.json").toFile());
    JsonNode retest = JSON.readTree(SampleQueues.EXPECTED.resolve("retest-conditional/report.json").toFile());
    assertEquals("race", base.path("rootCause").path("primary").asText());
    assertTrue(base.path("detectors").path("invariant").path("mismatch").asLong() > 0);
    assertEquals(0, retest.path("detectors").path("invariant").path("mismatch").asLong());
    assertEquals(0, retest.path("detectors").path("duplicates").path("duplicateConfirmations").asLong());
    assertEquals(base.path("workload").path("fingerprint"), retest.path("workload").path("fingerprint"));
  }

  /** Drops what depends on when and where the analysis ran, not on the capture. */
  static JsonNode normalize(JsonNode report) {
    ObjectNode r = (ObjectNode) report.deepCopy();
    r.remove("generatedAt");
    r.remove("tool");
    for (JsonNode q : r.path("input").path("queues")) {
      ((ObjectNode) q).remove("path");
    }
    return r;
  }
}
