package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.CriteriaLoader;
import io.racetrace.analyzer.model.Limit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriteriaTest {
  @TempDir Path tmp;

  @Test
  void shippedDefaultFile_equalsTheSeedDefaults() {
    assertEquals(Criteria.DEFAULTS, CriteriaLoader.defaults());
  }

  @Test
  void aFileOnlyChangesWhatItNames() throws Exception {
    Path f = Files.writeString(tmp.resolve("c.yaml"), "p99LatencyMs: {below: 200}\nattemptsPerRequest: {max: 5}\n");
    Criteria c = CriteriaLoader.load(f);
    assertEquals(Limit.below(200), c.p99LatencyMs());
    assertEquals(5, c.maxAttempts());
    assertEquals(Criteria.DEFAULTS.invariantMismatch(), c.invariantMismatch());
    Path j = Files.writeString(tmp.resolve("c.json"), "{\"maxQueueDelayMs\": {\"below\": 20}}");
    assertEquals(Limit.below(20), CriteriaLoader.load(j).maxQueueDelayMs());
  }

  @Test
  void limits_passConditionalFail() {
    Limit amp = Limit.below(1.5).withConditionalAbove(1.1);
    assertEquals(Limit.Status.PASS, amp.evaluate(1.1));
    assertEquals(Limit.Status.CONDITIONAL, amp.evaluate(1.212));
    assertEquals(Limit.Status.FAIL, amp.evaluate(1.5));
    assertEquals(Limit.Status.PASS, Limit.max(0).evaluate(0));
    assertEquals(Limit.Status.FAIL, Limit.max(0).evaluate(1));
    assertEquals(Limit.Status.UNKNOWN, Limit.max(0).evaluate(Double.NaN));
  }

  static String error(Path file, String content) throws Exception {
    Files.writeString(file, content);
    CriteriaLoader.CriteriaException e = assertThrows(CriteriaLoader.CriteriaException.class,
        () -> CriteriaLoader.load(file));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void badFiles_oneLineNamingFileLineAndField() throws Exception {
    Path f = tmp.resolve("bad.yaml");
    String m = error(f, "schemaVersion: 1\n\np99LatencyMs: {below: 150}\np99LatencyMS: {below: 1}\n");
    assertTrue(m.startsWith(f + ":4: "), m);
    assertTrue(m.contains("unknown field 'p99LatencyMS'"), m);

    m = error(f, "invariantMismatch:\n  max: 0\n  below: 3\n");
    assertTrue(m.startsWith(f + ":"), m);
    assertTrue(m.contains("invariantMismatch"), m);
    assertTrue(m.contains("exactly one of 'max' and 'below'"), m);

    m = error(f, "p99LatencyMs: {below: fast}\n");
    assertTrue(m.startsWith(f + ":1: p99LatencyMs.below: "), m);

    m = error(f, "retryAmplification: {below: 1.2, conditionalAbove: 1.3}\n");
    assertTrue(m.contains("retryAmplification") && m.contains("conditionalAbove"), m);

    m = error(f, "schemaVersion: 2\n");
    assertTrue(m.contains("schemaVersion 2 is not supported"), m);

    m = error(f, "p99LatencyMs: [\n");
    assertTrue(m.startsWith(f + ":"), m);

    Path missing = tmp.resolve("missing.yaml");
    var e = assertThrows(CriteriaLoader.CriteriaException.class, () -> CriteriaLoader.load(missing));
    assertEquals(missing + ": no such criteria file", e.getMessage());
  }

  @Test
  void badCriteriaFile_onTheCommandLine_exitsTwo() throws Exception {
    Path f = Files.writeString(tmp.resolve("bad.yaml"), "maxQueueDelayMs: {max: -1}\n");
    Cli c = Cli.run("analyze", tmp.toString(), "--out", tmp.resolve("o").toString(), "--criteria", f.toString());
    BadInputTest.assertOneLineError(c, f.toString(), "maxQueueDelayMs", ">= 0");
  }
}
