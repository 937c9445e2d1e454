package io.racetrace.samples.foreign;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.samples.foreign.ForeignRun.App;
import io.racetrace.samples.foreign.ForeignRun.Report;
import io.racetrace.samples.foreign.stock.StockMain;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order service on embedded H2 (package {@code stock}): JavaBean rows, the database bumps the
 * version itself ({@code version=version+1}), a transaction per order. Racy: the blind update
 * (row count). Safe: the update conditional on the version read, the conflict signalled by a row
 * count of 0 or by an optimistic-lock exception, retried up to 3 attempts. 8 threads x 300 orders
 * of 1..3 units over 8 items, probed by {@code foreign/stock-jdbc.yaml}; the database's rows are the
 * truth. The two-worker tests run two service JVMs, each with its agent and queue, on one H2
 * server (in the test's JVM); the analyzer merges both queues.
 */
class StockJdbcIT {
  static final Path PROBES = ForeignRun.PROBES.resolve("stock-jdbc.yaml");

  @TempDir Path tmp;

  record Run(App app, Report report) {}

  Run run(String variant) throws Exception {
    Path queue = tmp.resolve("queue-" + variant);
    App app = ForeignRun.run(PROBES, queue, StockMain.class, List.of(ForeignRun.classPathOf(org.h2.Driver.class)),
        "--variant", variant, "--requests", "300");
    Report report = ForeignRun.analyze(tmp.resolve("report-" + variant), queue);
    ForeignRun.log(getClass().getSimpleName() + " " + variant, app, report);
    return new Run(app, report);
  }

  /** Two workers of 4 threads x 250 orders, their loads overlapping, on one database. */
  Run runTwoWorkers(String variant) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Server server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
    try {
      String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:orders-" + variant + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000";
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        StockMain.setup(c, 8);
      }
      List<Path> cp = List.of(ForeignRun.classPathOf(org.h2.Driver.class));
      Path[] queues = {tmp.resolve("queue-" + variant + "-w1"), tmp.resolve("queue-" + variant + "-w2")};
      List<CompletableFuture<App>> workers = new java.util.ArrayList<>();
      // Two threads of its own: the workers wait for each other, and the common pool may run one
      // task at a time (it does on 2 cores from JDK 25 on), which would leave the second unstarted.
      java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
      for (int w = 0; w < 2; w++) {
        Path queue = queues[w];
        String name = "w" + (w + 1);
        workers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return ForeignRun.run(PROBES, queue, StockMain.class, cp, "--variant", variant, "--url", url,
                "--worker", name, "--workers", "2", "--threads", "4", "--requests", "250");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, both));
      }
      App w1;
      App w2;
      try {
        w1 = workers.get(0).join();
        w2 = workers.get(1).join();
      } finally {
        both.shutdown();
      }
      ObjectNode truth = ForeignRun.JSON.createObjectNode().put("variant", variant + " x2 JVMs");
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        StockMain.truth(c).forEach(truth::put);
      }
      for (String f : List.of("requests", "conflicts", "conflictResponses")) {
        truth.put(f, w1.truth(f) + w2.truth(f));
      }
      App app = new App(truth, w1.stdout() + w2.stdout(), w1.stderr() + w2.stderr(), Math.max(w1.seconds(), w2.seconds()));
      Report report = ForeignRun.analyze(tmp.resolve("report-" + variant + "-2jvm"), queues);
      ForeignRun.log(getClass().getSimpleName() + " " + variant + " (two JVMs)", app, report);
      return new Run(app, report);
    } finally {
      server.stop();
    }
  }

  @Test
  void racy_blindUpdate_lostUpdatesAndInvariant_equalTheDatabase() throws Exception {
    racy(run("racy"));
  }

  @Test
  void racy_twoJvmsOnOneServer_lostUpdatesAndInvariant_equalTheDatabase() throws Exception {
    racy(runTwoWorkers("racy"));
  }

  private void racy(Run r) {
    App t = r.app();
    Report a = r.report();
    assertTrue(t.truth("lostUpdates") > 0, "the blind update must lose updates: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(t.truth("lostUpdates"), a.lostUpdates(), "lost updates (orders whose update replaced another version than read)" + why),
        () -> assertEquals(t.truth("unitsErased"), a.detector("/detectors/lostUpdates/erasedUnits"), "units erased" + why),
        () -> assertEquals(t.truth("invariantMismatch"), a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals(0, a.duplicates(), "duplicate confirmations" + why),
        () -> assertEquals("do_not_release", a.decision(), why),
        () -> assertEquals("race", a.rootCause(), why));
  }

  @Test
  void safe_rowCountConflict_zeroAnomalies_andNoDoNotRelease() throws Exception {
    safe(run("rowcount"));
  }

  @Test
  void safe_optimisticLockException_zeroAnomalies_andNoDoNotRelease() throws Exception {
    safe(run("exception"));
  }

  @Test
  void safe_optimisticLockException_twoJvmsOnOneServer_zeroAnomalies_andNoDoNotRelease() throws Exception {
    safe(runTwoWorkers("exception"));
  }

  private void safe(Run r) {
    App t = r.app();
    Report a = r.report();
    assertEquals(0, t.truth("lostUpdates") + t.truth("invariantMismatch"), t.truth().toString());
    assertTrue(t.truth("conflicts") > 0, "the safe service must meet conflicts: " + t.truth());
    assertEquals("valid", a.json().at("/completeness/verdict").asText(), a.summary());
    String why = "\n  truth:     " + t.truth() + "\n  racetrace: " + a.summary();
    assertAll(
        () -> assertEquals(0, a.lostUpdates(), "lost updates" + why),
        () -> assertEquals(0L, a.invariantMismatch(), "invariant mismatch" + why),
        () -> assertEquals(0, a.duplicates(), "duplicate confirmations" + why),
        () -> assertEquals(t.truth("conflicts"), a.detector("/detectors/retries/writeConflicts"), "conflicts handled by a retry" + why),
        () -> assertEquals(t.truth("conflictResponses"), a.detector("/summary/conflictResponses"), "RETRY_LATER answers" + why),
        () -> assertEquals(0, a.detector("/detectors/storageFaults/writeErrors"), "a conflict is no storage fault" + why),
        () -> assertEquals("none", a.rootCause(), why),
        () -> assertNotEquals("do_not_release", a.decision(), why),
        () -> assertEquals(0, a.exitCode(), why));
  }
}
