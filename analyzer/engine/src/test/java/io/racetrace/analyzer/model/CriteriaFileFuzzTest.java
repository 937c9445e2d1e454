package io.racetrace.analyzer.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.racetrace.analyzer.cli.AnalyzerMain;
import io.racetrace.analyzer.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import picocli.CommandLine;

/**
 * Any bytes as a criteria file, YAML or JSON, must load as valid {@link Criteria} or fail with a
 * {@link CriteriaLoader.CriteriaException} whose message is one line starting with the file's
 * name, with nothing of Jackson's or SnakeYAML's internals in it; {@code analyze --criteria} then
 * prints exactly that line and exits 2. No other throwable may escape. Regression inputs (and the
 * valid seed files) are under {@code CriteriaFileFuzzTestInputs/}; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -pl analyzer/engine test -Dtest=CriteriaFileFuzzTest -Djazzer.max_duration=60s}, adding
 * {@code '-Djazzer.instrument=io.racetrace.**,com.fasterxml.jackson.**,org.yaml.snakeyaml.**'} so that the
 * fuzzer also sees the parsers' coverage.
 */
class CriteriaFileFuzzTest {
  /** Stack-trace or library text; only allowed in a message when the file itself contains it. */
  private static final List<String> LEAKS = List.of("com.fasterxml", "org.yaml", "snakeyaml", "at [Source",
      "Exception", "\tat ", "line: ", "column: ", "`java.", "`io.racetrace", "JsonToken", "StreamReadConstraints",
      "Creator");

  private static Path dir;
  /** One command line for all inputs (picocli resets the options on every execute): building it costs 1 ms. */
  private static CommandLine cli;
  private static final StringWriter OUT = new StringWriter();
  private static final StringWriter ERR = new StringWriter();

  @FuzzTest
  void anyCriteriaFile(byte[] content) throws IOException {
    for (String name : new String[] {"crit.yaml", "crit.json"}) {
      Path file = Files.write(dir().resolve(name), content);
      Criteria c;
      try {
        c = CriteriaLoader.load(file);
      } catch (CriteriaLoader.CriteriaException expected) {
        assertUserError(file, content, expected.getMessage());
        continue;
      }
      assertValid(c);
    }
  }

  private static void assertUserError(Path file, byte[] content, String m) throws IOException {
    if (m == null || !m.startsWith(file + ":")) {
      throw new AssertionError("error does not start with the file name: " + m);
    }
    String problem = m.substring(m.indexOf(": ", file.toString().length()) + 2);
    if (problem.isBlank() || problem.equals("null")) {
      throw new AssertionError("error without a problem: " + m);
    }
    if (m.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0x0b || ch == 0x0c || ch == 0x85
        || ch == 0x2028 || ch == 0x2029)) {
      throw new AssertionError("multi-line error: " + m);
    }
    String utf8 = new String(content, StandardCharsets.UTF_8);
    String latin1 = new String(content, StandardCharsets.ISO_8859_1);
    for (String leak : LEAKS) {
      if (m.contains(leak) && !utf8.contains(leak) && !latin1.contains(leak)) {
        throw new AssertionError("library internals in the error (" + leak.strip() + "): " + m);
      }
    }
    // the CLI: exactly this line on stderr, nothing on stdout, exit code 2
    if (cli == null) {
      cli = AnalyzerMain.commandLine();
      cli.setOut(new PrintWriter(OUT, true));
      cli.setErr(new PrintWriter(ERR, true));
    }
    OUT.getBuffer().setLength(0);
    ERR.getBuffer().setLength(0);
    int exit = cli.execute("analyze", dir().resolve("no-queue").toString(), "--out", dir().resolve("out").toString(),
        "--criteria", file.toString());
    String expected = "racetrace analyze: " + m + System.lineSeparator();
    if (exit != ExitCodes.INPUT_ERROR || !ERR.toString().equals(expected) || OUT.getBuffer().length() > 0) {
      throw new AssertionError("CLI: exit " + exit + ", stderr [" + ERR + "], stdout [" + OUT + "], expected [" + m
          + "] and exit " + ExitCodes.INPUT_ERROR);
    }
  }

  /** The invariants {@link Criteria} and {@link Limit} document. */
  private static void assertValid(Criteria c) {
    if (c == null || c.schemaVersion() != Criteria.SCHEMA_VERSION) {
      throw new AssertionError("loaded " + c);
    }
    for (Limit l : new Limit[] {c.invariantMismatch(), c.p99LatencyMs(), c.errorRate5xxPercent(),
        c.conflictResponsesPercent(), c.duplicateConfirmations(), c.maxQueueDelayMs(), c.retryAmplification(),
        c.attemptsPerRequest()}) {
      if (l == null || (l.max() == null) == (l.below() == null) || !(l.bound() >= 0)
          || (l.conditionalAbove() != null && !(l.conditionalAbove() >= 0 && l.conditionalAbove() < l.bound()))) {
        throw new AssertionError("invalid limit " + l + " in " + c);
      }
    }
    if (c.expectedIntervalMs() != null && !(c.expectedIntervalMs() > 0)) {
      throw new AssertionError("invalid expectedIntervalMs in " + c);
    }
    c.maxAttempts();
  }

  private static synchronized Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory("fuzz-criteria");
    }
    return dir;
  }

  @AfterAll
  static void deleteDir() throws IOException {
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      dir = null;
    }
  }
}
