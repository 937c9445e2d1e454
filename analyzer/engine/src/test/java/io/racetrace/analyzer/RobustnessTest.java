package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.report.ReportWriter;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid but strange captures (extreme times, any flag combination) give a report, never a crash. */
class RobustnessTest {
  @TempDir Path tmp;

  /** The trace-format module's golden v1 queue: rows with times from -5 to Long.MAX_VALUE - 10. */
  @Test
  void goldenV1Queue_isAnalyzed() throws Exception {
    Path golden = Path.of("..", "..", "agent", "trace-format", "src", "test", "resources", "golden", "v1");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(golden), "golden queue not found");
    Path copy = Files.createDirectory(tmp.resolve("v1"));
    try (var files = Files.list(golden)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Cli c = Cli.run("analyze", copy.toString(), "--out", tmp.resolve("out").toString());
    assertTrue(c.exit() == 0 || c.exit() == 1, c.err());
    AnalysisResult r = io.racetrace.analyzer.report.JsonReport.read(tmp.resolve("out/report.json"));
    assertEquals(4, r.input().rows());
    assertEquals(1, r.input().rowsWithImplausibleTimes());
    assertEquals("unknown", r.completeness().verdict(), r.completeness().reasons().toString());
  }

  @Test
  void randomRows_giveAReport() throws Exception {
    Random rnd = new Random(7);
    String[] ids = {"a", "b", "c", null};
    String[] keys = {"k1", "k2", null};
    long[] times = {0, 1, 1_000, 1_000_000, -5, Long.MAX_VALUE / 4};
    Path q = tmp.resolve("q");
    try (TraceQueueWriter w = TraceQueueWriter.open(q)) {
      w.header(new io.racetrace.trace.WorkerHeader(1, "w", 1, "h", 1, "a", "j", "p", "o", 1_700_000_000_000_000_000L, 0));
      TraceQueueWriter.RowBatch b = w.rows();
      for (int i = 0; i < 20_000; i++) {
        if (b.isFull()) {
          b.close();
          b = w.rows();
        }
        TraceRow r = new TraceRow();
        r.kind = EventKind.values()[rnd.nextInt(4)];
        r.result = Result.values()[rnd.nextInt(Result.values().length)];
        r.threadId = rnd.nextInt(4);
        r.threadSeq = i;
        r.attempt = rnd.nextInt(4);
        r.startNanos = i * 1000L + (rnd.nextInt(50) == 0 ? times[rnd.nextInt(times.length)] : 0);
        r.endNanos = r.startNanos + rnd.nextInt(5000) - (rnd.nextInt(100) == 0 ? 10_000 : 0);
        if (rnd.nextBoolean()) r.readVersion(rnd.nextInt(5));
        if (rnd.nextBoolean()) r.expectedVersion(rnd.nextInt(5));
        if (rnd.nextBoolean()) r.writtenVersion(rnd.nextInt(5));
        if (rnd.nextBoolean()) r.value(rnd.nextInt(5) - 1);
        r.requestId(ids[rnd.nextInt(ids.length)]).key(keys[rnd.nextInt(keys.length)]);
        r.flags |= rnd.nextInt(1 << 11) & (TraceSchema.F_THROWN | TraceSchema.F_VALUE_HASHED | TraceSchema.F_NO_REQUEST
            | TraceSchema.F_INJECTED);
        b.add(r);
      }
      b.close();
    }
    AnalysisResult r = Analysis.run(List.of(q), Criteria.DEFAULTS,
        AnalysisOptions.DEFAULTS.withRowsCsv(tmp.resolve("rows.csv")));
    ReportWriter.writeAll(r, tmp.resolve("out"));
    assertEquals(20_000, r.input().rows());
    assertTrue(r.input().rowsWithImplausibleTimes() > 0);
    assertTrue(Files.size(tmp.resolve("out/report.html")) > 1000);
    assertEquals(20_001, Files.readAllLines(tmp.resolve("rows.csv")).size());
  }
}
