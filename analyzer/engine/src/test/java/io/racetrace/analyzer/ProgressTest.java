package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.Criteria;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An analysis says how far it has read: against the rows the queues hold, counted before reading. */
class ProgressTest {
  @TempDir Path tmp;

  @Test
  void progress_countsEveryRow_againstTheTotalCountedBeforeReading() throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve("q"));
    int n = 300_000; // more than one reporting interval (2^18 rows)
    for (int i = 0; i < n; i++) {
      b.add(EventKind.READ, Result.NONE, 1 + i % 8, null, "k" + (i % 50), i, i).value(i % 100);
    }
    Path q = b.build();
    List<long[]> calls = new ArrayList<>();
    Analysis.run(List.of(q), Criteria.DEFAULTS, AnalysisOptions.DEFAULTS,
        (read, total, done) -> calls.add(new long[] {read, total, done ? 1 : 0}));
    assertEquals(2, calls.size(), "one update at 2^18 rows, then the last");
    assertArrayEquals(new long[] {1 << 18, n, 0}, calls.get(0));
    assertArrayEquals(new long[] {n, n, 1}, calls.get(1));
  }

  @Test
  void cli_printsProgressWhenAsked_andNeverWithQuiet() throws Exception {
    Path q = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("q2"))).build();
    Cli asked = Cli.run("analyze", q.toString(), "--out", tmp.resolve("a").toString(), "--progress");
    assertTrue(asked.err().matches("(?s).*racetrace analyze: read \\d+ rows in [0-9.]+ s .*"), asked.err());
    Cli quiet = Cli.run("analyze", q.toString(), "--out", tmp.resolve("b").toString(), "--progress", "--quiet");
    assertFalse(quiet.err().contains("rows in"), quiet.err());
    Cli plain = Cli.run("analyze", q.toString(), "--out", tmp.resolve("c").toString());
    assertFalse(plain.err().contains("rows in"), "not a terminal, not asked: " + plain.err());
  }
}
