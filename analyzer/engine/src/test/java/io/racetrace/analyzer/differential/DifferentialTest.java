package io.racetrace.analyzer.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.TraceBuilder;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.model.Results.ReleaseRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * The differential test of issue 10: the analyzer's lost updates, undecided writes, invariant
 * mismatch, duplicate confirmations and retry figures equal, exactly, what a simulated store and
 * service counted themselves ({@link Simulation}), on generated histories of many shapes
 * ({@link Histories}). Each history becomes the rows the agent would write for its probe file, in
 * real queues on disk (one per worker JVM), read by the real {@link Analysis}. A failure shrinks to
 * a minimal history, printed with its rows and the store's state after each write. The run also
 * reports, and checks, how often the histories held what is compared (lost updates, duplicates,
 * unreconcilable keys...) and each shape of read.
 */
class DifferentialTest {

  @Provide
  Arbitrary<History> histories() {
    return Histories.histories();
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
  void analyzerFigures_equalTheStoresOwnBookkeeping(@ForAll("histories") History h) throws Exception {
    Simulation.Run run = Simulation.run(h);
    collect(h.shape(), run.truth());
    Path dir = Files.createTempDirectory("racetrace-differential");
    try {
      AnalysisResult r = Analysis.run(write(h.shape(), run.rows(), dir), Criteria.DEFAULTS);
      assertEquals(run.truth(), figures(r), "analyzer (actual) against the store's own count (expected)");
      if (!h.shape().ids() && run.truth().requests() > 0) {
        ReleaseRow dup = r.release().table().stream().filter(x -> x.id().equals("duplicateConfirmations"))
            .findFirst().orElseThrow();
        assertTrue(dup.evidence().startsWith("not measurable"), dup.evidence());
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * What the run generated, reported with the property, and checked: a generator that stopped
   * producing races, duplicates or unreconcilable keys would make the comparison vacuous.
   */
  static void collect(Shape s, Truth t) {
    Statistics.label("reads show").collect(s.versions(), s.readValue() ? "+value" : "");
    Statistics.label("write").collect(s.write(), s.outcome(), s.brokenCas() ? "broken" : "");
    check("lost updates", t.lostUpdates() > 0, 3);
    check("undecided writes", t.undecidedWrites() > 0, 3);
    check("invariant mismatch > 0", t.invariantMismatch() != null && t.invariantMismatch() > 0, 5);
    check("invariant not measurable", t.invariantMismatch() == null, 3);
    check("duplicate confirmations", t.duplicateConfirmations() > 0, 2);
    check("idempotent replays", t.idempotentReplays() > 0, 1);
    check("client retries", t.clientRetries() > 0, 5);
    check("write conflicts", t.writeConflicts() > 0, 5);
    check("retried in the request", t.maxAttempts() > 1, 2);
    check("restocks", t.writesOutsideRequests() > 0, 10);
    check("5xx after a write", t.errors5xx() > 0, 3);
    for (Shape.Versions v : Shape.Versions.values()) {
      for (String value : List.of("", "+value")) {
        boolean possible = !value.isEmpty() || v == Shape.Versions.READ || v == Shape.Versions.BOTH;
        if (possible) {
          Statistics.label("reads show").coverage(c -> c.check(v, value).percentage(p -> p >= 3));
        }
      }
    }
  }

  private static void check(String label, boolean seen, double minPercent) {
    Statistics.label(label).collect(seen);
    Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= minPercent));
  }

  /** The analyzer's figures, in the store's terms. */
  static Truth figures(AnalysisResult r) {
    var d = r.detectors();
    var lu = d.lostUpdates();
    var inv = d.invariant();
    var dup = d.duplicates();
    var rt = d.retries();
    var s = r.summary();
    return new Truth(lu.lostUpdates(), lu.undecidedWrites(), inv.mismatch(), inv.keysChecked(),
        dup.duplicateConfirmations(), dup.idempotentReplays(), dup.clientRetries(), dup.requestsWithoutId(),
        s.requests(), s.confirmations(), s.rejected(), s.conflictResponses(), s.errors5xx(), rt.storageAttempts(),
        rt.requestsWithStorage(), rt.writeAttempts(), rt.writeConflicts(), rt.conditionalWriteAttempts(),
        rt.maxAttempts(), rt.attemptHistogram(), rt.requestsOverLimit(), lu.writesOutsideRequests());
  }

  /** One queue per worker JVM, as its agent would have written it. */
  static List<Path> write(Shape shape, List<Row> rows, Path dir) throws Exception {
    String probes = "probes.yaml sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(shape.probeFile().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    List<TraceBuilder> builders = new ArrayList<>();
    List<Path> queues = new ArrayList<>();
    for (int w = 0; w < shape.workers(); w++) {
      Path q = dir.resolve("worker-" + w);
      queues.add(q);
      builders.add(new TraceBuilder(q).worker("worker-" + w).probeSource(probes).blockSize(262144));
    }
    for (Row row : rows) {
      row.emit(builders.get(row.worker()));
    }
    for (TraceBuilder b : builders) {
      b.build();
    }
    return queues;
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
