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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The differential test of issue 10: the analyzer's lost updates, undecided and relative writes,
 * invariant mismatch (in the service's units, from values or from the writes' amounts), duplicate
 * confirmations and retry figures equal, exactly, what a simulated store and service counted themselves ({@link Simulation}), on generated histories of many shapes
 * ({@link Histories}). Each history becomes the rows the agent would write for its probe file, in
 * real queues on disk (one per worker JVM), read by the real {@link Analysis}. A failure shrinks to
 * a minimal history ({@link Histories#shrink}), printed with its rows and the store's state after
 * each write, and with the seed that generated it. The run also checks how often the histories
 * held what is compared (lost updates, duplicates, unreconcilable keys...) and each shape of
 * read, so a generator that stopped producing them cannot make the comparison vacuous.
 *
 * <p>Seeds: {@code racetrace.differential.seed} (default fixed, so CI is repeatable) and
 * {@code racetrace.differential.tries} (default 1,000); run with other seeds to explore more,
 * e.g. {@code mvn -pl analyzer/engine test -Dtest=DifferentialTest -Dracetrace.differential.seed=$RANDOM}.
 */
class DifferentialTest {

  static final long SEED = Long.getLong("racetrace.differential.seed", 20261201L);
  static final int TRIES = Integer.getInteger("racetrace.differential.tries", 1000);

  @Test
  void analyzerFigures_equalTheStoresOwnBookkeeping() throws Exception {
    Coverage coverage = new Coverage();
    for (int i = 0; i < TRIES; i++) {
      long seed = SEED + i;
      History h = Histories.random(seed);
      String problem = problem(h);
      if (problem != null) {
        History minimal = Histories.shrink(h, c -> problem(c) != null);
        throw new AssertionError("seed " + seed + " (try " + (i + 1) + " of " + TRIES + "): " + problem(minimal)
            + "\nminimal history:" + minimal + "\noriginal history:" + h);
      }
      coverage.collect(h.shape(), Simulation.run(h));
    }
    coverage.check(TRIES);
  }

  /** Why the analyzer disagrees with the store on {@code h}, or null. */
  static String problem(History h) {
    Simulation.Run run = Simulation.run(h);
    Path dir = null;
    try {
      dir = Files.createTempDirectory("racetrace-differential");
      AnalysisResult r = Analysis.run(write(h.shape(), run.rows(), dir), Criteria.DEFAULTS);
      Truth actual = figures(r);
      if (!run.truth().equals(actual)) {
        return "analyzer " + actual + "\n  store    " + run.truth();
      }
      if (!h.shape().ids() && run.truth().requests() > 0) {
        ReleaseRow dup = r.release().table().stream().filter(x -> x.id().equals("duplicateConfirmations"))
            .findFirst().orElseThrow();
        if (!dup.evidence().startsWith("not measurable")) {
          return "duplicates of a capture without request ids: " + dup.evidence();
        }
      }
      return null;
    } catch (Exception e) {
      return "analysis failed: " + e;
    } finally {
      if (dir != null) {
        try {
          delete(dir);
        } catch (IOException ignored) {
          // a temporary directory
        }
      }
    }
  }

  /** How often the generated histories held each thing compared, checked against a floor in percent. */
  static final class Coverage {
    private final Map<String, Integer> seen = new LinkedHashMap<>();
    private final Map<String, Double> floor = new LinkedHashMap<>();

    void collect(Shape s, Simulation.Run run) {
      Truth t = run.truth();
      count("lost updates", t.lostUpdates() > 0, 3);
      count("undecided writes", t.undecidedWrites() > 0, 3);
      count("invariant mismatch > 0", t.invariantMismatch() != null && t.invariantMismatch() > 0, 5);
      count("invariant not measurable", t.invariantMismatch() == null, 3);
      count("duplicate confirmations", t.duplicateConfirmations() > 0, 2);
      count("idempotent replays", t.idempotentReplays() > 0, 1);
      count("client retries", t.clientRetries() > 0, 5);
      count("write conflicts", t.writeConflicts() > 0, 5);
      count("retried in the request", t.maxAttempts() > 1, 2);
      count("restocks", t.writesOutsideRequests() > 0, 10);
      count("reads before a write's commit", run.readsBeforeCommit() > 0, 3);
      count("reads of a commit before its COMMIT row", run.readsBeforeCommitRow() > 0, 1);
      count("lost updates in a transactional store", s.transactional() && t.lostUpdates() > 0, 1);
      count("5xx after a write", t.errors5xx() > 0, 3);
      count("transaction probes, a transaction rolled back", t.writesRolledBack() > 0, 5);
      count("transaction probes, commit after the answer, a rollback", s.boundaries() == Shape.Boundaries.AFTER_ANSWER
          && t.writesRolledBack() > 0, 2);
      count("transaction probes, lost updates", s.boundaries() != Shape.Boundaries.NONE && t.lostUpdates() > 0, 1);
      count("relative writes", t.relativeWrites() > 0, 10);
      count("relative writes, invariant measured", s.relative() && t.invariantMismatch() != null, 5);
      count("relative writes, invariant mismatch > 0", s.relative() && t.invariantMismatch() != null
          && t.invariantMismatch() > 0, 2);
      count("relative writes, adjustments outside requests", s.relative() && t.writesOutsideRequests() > 0, 5);
      count("relative writes in a transactional store", s.relative() && s.transactional() && t.relativeWrites() > 0, 3);
      count("amount next to the value", s.amount() == Shape.Amount.ALONGSIDE && t.confirmations() > 0, 10);
      count("amount next to the value, reads show no stock, invariant measured", s.amount() == Shape.Amount.ALONGSIDE
          && !s.readValue() && t.invariantMismatch() != null, 1);
      for (Shape.Versions v : Shape.Versions.values()) {
        for (boolean value : new boolean[] {false, true}) {
          if (value || v == Shape.Versions.READ || v == Shape.Versions.BOTH) {
            count("reads show " + v + (value ? "+value" : ""), s.versions() == v && s.readValue() == value, 3);
          }
        }
      }
    }

    private void count(String what, boolean yes, double minPercent) {
      seen.merge(what, yes ? 1 : 0, Integer::sum);
      floor.put(what, minPercent);
    }

    void check(int tries) {
      StringBuilder low = new StringBuilder();
      for (var e : seen.entrySet()) {
        double pct = 100.0 * e.getValue() / tries;
        if (pct < floor.get(e.getKey())) {
          low.append(String.format("%n  %s: %.1f %% of histories (floor %.0f %%)", e.getKey(), pct, floor.get(e.getKey())));
        }
      }
      assertTrue(low.length() == 0, "the generator no longer produces what the comparison needs:" + low);
    }
  }

  /** The analyzer's figures, in the store's terms. */
  static Truth figures(AnalysisResult r) {
    var d = r.detectors();
    var lu = d.lostUpdates();
    var inv = d.invariant();
    var dup = d.duplicates();
    var rt = d.retries();
    var s = r.summary();
    return new Truth(lu.lostUpdates(), lu.undecidedWrites(), lu.relativeWrites(), inv.mismatch(), inv.keysChecked(),
        inv.amountDisagreements(), dup.duplicateConfirmations(), dup.idempotentReplays(), dup.clientRetries(), dup.requestsWithoutId(),
        s.requests(), s.confirmations(), s.rejected(), s.conflictResponses(), s.errors5xx(), rt.storageAttempts(),
        rt.requestsWithStorage(), rt.writeAttempts(), rt.writeConflicts(), rt.conditionalWriteAttempts(),
        rt.maxAttempts(), rt.attemptHistogram(), rt.requestsOverLimit(), lu.writesOutsideRequests(),
        r.input().transactions().writesRolledBack());
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

  /** One generated history, simulated and written as queues, handed to a check. */
  interface HistoryCheck {
    void check(long seed, History h, Simulation.Run run, List<Path> queues) throws Exception;
  }

  /** Runs {@code check} on the histories of seeds {@code firstSeed} to {@code firstSeed + tries - 1}, each in a temporary directory. */
  static void eachHistory(long firstSeed, int tries, HistoryCheck check) throws Exception {
    for (int i = 0; i < tries; i++) {
      long seed = firstSeed + i;
      History h = Histories.random(seed);
      Simulation.Run run = Simulation.run(h);
      Path dir = Files.createTempDirectory("racetrace-history");
      try {
        check.check(seed, h, run, write(h.shape(), run.rows(), dir));
      } finally {
        delete(dir);
      }
    }
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
