package io.racetrace.agent.it;

import static io.racetrace.trace.TraceSchema.*;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit and rollback probes on a real JDBC driver ({@code org.h2.jdbc.JdbcConnection}), woven in
 * a forked JVM: the fixture ({@code TxnShop}) commits a write inside a request, rolls one back
 * outside any, commits on a closed connection inside a request (the commit throws) and commits one
 * outside any. Every field of the boundary rows is compared with what the fixture did, and what
 * the rows say committed with what the database holds afterwards.
 */
class TransactionsIT {
  static final Path PROBES = Path.of("src/test/resources/probes/txn.yaml").toAbsolutePath();
  /** Flags a row may carry whatever it records; the tests compare the rest exactly. */
  static final int UNTIMED = F_UNTIMED;

  @TempDir Path tmp;

  @Test
  void commitAndRollbackOfTheDriver_giveBoundaryRows_thatAgreeWithTheDatabase() throws Exception {
    captureAndCheck(PROBES);
  }

  /**
   * The same boundaries probed on the JDBC interface instead of the driver's class: {@code
   * subtypes: true} weaves whichever driver implements {@code java.sql.Connection}.
   */
  @Test
  void probesOnJavaSqlConnectionWithSubtypes_weaveTheDriversImplementation() throws Exception {
    Path probes = tmp.resolve("txn-interface.yaml");
    java.nio.file.Files.writeString(probes, java.nio.file.Files.readString(PROBES)
        .replace("class: org.h2.jdbc.JdbcConnection,", "class: java.sql.Connection, subtypes: true,"));
    assertEquals(2, java.nio.file.Files.readString(probes).split("java.sql.Connection").length - 1, "both boundary probes rewritten");
    captureAndCheck(probes);
  }

  private void captureAndCheck(Path probes) throws Exception {
    Path queue = tmp.resolve("queue");
    String url = "jdbc:h2:file:" + tmp.resolve("shop").toAbsolutePath();
    String done;
    try (ForkedApp app = new ForkedApp(ForkedApp.javaHome(), List.of(ForkedApp.agentArg(probes, queue)), List.of(h2Jar()))) {
      app.send("txn " + url);
      done = app.await("txn done");
      assertEquals(0, app.exit());
    }
    Map<String, String> fixture = words(done.substring("txn done ".length()));
    long thread = Long.parseLong(fixture.get("thread"));
    String threw = fixture.get("threw");
    assertTrue(threw.startsWith("org.h2.jdbc."), "the commit on a closed connection threw the driver's exception: " + done);

    Capture c = Capture.read(queue);
    assertEquals(0, c.counters.extractorErrors(), c.toString());
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    assertEquals(c.counters.rowsOffered(), c.counters.rowsWritten(), "nothing dropped: " + c.counters);
    assertEquals(List.of("reserve:1", "insert:1", "commit:1", "rollback:1"),
        c.probes.values().stream().sorted(java.util.Comparator.comparingInt(ProbeStatus::probeId))
            .map(p -> p.name() + ":" + p.matchedMethods()).toList(),
        "rollback's params: [] weaves rollback(), not rollback(Savepoint)");

    List<TraceRow> rows = c.rows;
    assertEquals(List.of("WRITE t1 sku-a", "COMMIT t1 sku-a", "REQUEST t1 sku-a", "WRITE - sku-b", "ROLLBACK - -",
            "WRITE t3 sku-c", "COMMIT t3 sku-c", "REQUEST t3 sku-c", "WRITE - sku-d", "COMMIT - -"),
        rows.stream().map(r -> r.kind + " " + orDash(r.requestId) + " " + orDash(r.key)).toList(), c.toString());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(thread, rows.get(i).threadId, "every row is the fixture thread's: " + rows.get(i));
      assertEquals(i + 1, rows.get(i).threadSeq, "the thread's rows, numbered without a gap: " + rows.get(i));
    }

    assertBoundary(rows.get(1), c, "commit", Result.SUCCESS, F_REQUEST_ID | F_KEY, 1, null);
    assertBoundary(rows.get(4), c, "rollback", Result.SUCCESS, F_NO_REQUEST, 0, null);
    assertBoundary(rows.get(6), c, "commit", Result.ERROR, F_REQUEST_ID | F_KEY | F_THROWN | F_DETAIL, 1, threw);
    assertBoundary(rows.get(9), c, "commit", Result.SUCCESS, F_NO_REQUEST, 0, null);
    for (TraceRow w : List.of(rows.get(0), rows.get(3), rows.get(5), rows.get(8))) {
      assertEquals(Result.SUCCESS, w.result, "each insert returned one row: " + w);
    }

    // What the rows say: the writes followed by a successful COMMIT applied; the rolled-back one
    // and the one whose commit threw did not. The database must say the same.
    List<String> committed = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      TraceRow r = rows.get(i);
      if (r.kind == EventKind.WRITE) {
        TraceRow end = rows.stream().skip(i + 1).filter(b -> b.kind == EventKind.COMMIT || b.kind == EventKind.ROLLBACK)
            .findFirst().orElseThrow();
        if (end.kind == EventKind.COMMIT && end.result == Result.SUCCESS) {
          committed.add(r.key + "=" + r.value);
        }
      }
    }
    assertEquals(List.of("sku-a=5", "sku-d=8"), committed);
    assertEquals(committed, stock(url), "the database holds what the boundary rows say committed");
  }

  private static void assertBoundary(TraceRow r, Capture c, String probe, Result result, int flags, int attempt,
      String detail) {
    String s = r.toString();
    assertEquals(probe, c.probeName(r), s);
    assertEquals(probe.equals("commit") ? EventKind.COMMIT : EventKind.ROLLBACK, r.kind, s);
    assertEquals(result, r.result, s);
    assertEquals(flags | UNTIMED, r.flags, "flags: " + s);
    assertEquals(attempt, r.attempt, "attempt of its request, 0 outside one: " + s);
    assertEquals(detail, r.detail, s);
    assertEquals(r.startNanos, r.endNanos, "untimed by default, as reads and writes are: " + s);
  }

  private static List<String> stock(String url) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(url); Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT sku, qty FROM stock ORDER BY sku")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "=" + rs.getInt(2));
      }
    }
    return out;
  }

  /** The H2 jar this test runs with, for the fixture's class path. */
  private static Path h2Jar() throws Exception {
    return Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Map<String, String> words(String line) {
    return java.util.Arrays.stream(line.split(" ")).map(w -> w.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
