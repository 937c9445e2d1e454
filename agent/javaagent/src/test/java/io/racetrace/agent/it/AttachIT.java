package io.racetrace.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.cli.RacetraceMain;
import io.racetrace.trace.EventKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent attached to, and detached from, a JVM that is already running, through the real CLI. */
class AttachIT {
  @TempDir Path tmp;

  /** How a JVM that is meant to be attached to starts on Java 21+ (older JVMs ignore the flag). */
  static final List<String> DYNAMIC_AGENTS = List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading");

  /** Output of one CLI run. */
  record Run(int exit, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RacetraceMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run attach(long pid, Path probes, Path queue, String... extra) {
    List<String> a = new ArrayList<>(List.of("attach", Long.toString(pid), "--probes", probes.toString(),
        "--queue", queue.toString(), "--agent-jar", ForkedApp.AGENT_JAR.toString()));
    a.addAll(List.of(extra));
    return cli(a.toArray(new String[0]));
  }

  static Run detach(long pid) {
    return cli("detach", Long.toString(pid), "--agent-jar", ForkedApp.AGENT_JAR.toString());
  }

  @Test
  void attachToRunningJvm_retransformsLoadedClasses_detachStopsRowsAndAppGoesOn() throws Exception {
    Path q1 = tmp.resolve("q1");
    Path q2 = tmp.resolve("q2");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      app.send("seed sku-9 10");
      app.await("ok");
      app.send("reserve before sku-9"); // loads and runs the classes before any agent is there
      assertEquals("result CONFIRMED", app.await("result"));

      Run a = attach(app.pid, PremainIT.PROBES, q1);
      assertEquals(0, a.exit(), a.err());
      assertTrue(a.out().contains("attached to " + app.pid), a.out());

      Run twice = attach(app.pid, PremainIT.PROBES, tmp.resolve("other"));
      assertEquals(1, twice.exit());
      assertTrue(twice.err().contains("racetrace is already attached to " + app.pid), twice.err());
      assertEquals(1, twice.err().lines().count(), twice.err());

      app.send("script");
      app.await("script done");

      Run d = detach(app.pid);
      assertEquals(0, d.exit(), d.err());
      app.send("reserve after sku-9");
      assertEquals("result CONFIRMED", app.await("result"), "the app runs on after detach");

      // Attach again after a detach: a new capture, into another queue, with options passed through.
      Run bad = attach(app.pid, PremainIT.PROBES, q2, "-o", "callTiming");
      assertEquals(2, bad.exit());
      assertEquals("racetrace: bad --agent-option 'callTiming' (KEY=VALUE, no commas)", bad.err().strip());
      assertEquals(0, attach(app.pid, PremainIT.PROBES, q2, "--budget", "50", "-o", "callTiming=full").exit());
      app.send("reserve again sku-9");
      assertEquals("result CONFIRMED", app.await("result"));
      assertEquals(0, detach(app.pid).exit());
      Run notAttached = detach(app.pid);
      assertEquals(1, notAttached.exit());
      assertTrue(notAttached.err().contains("not attached"), notAttached.err());

      app.send("reserve last sku-9");
      assertEquals("result CONFIRMED", app.await("result"));
      assertEquals(0, app.exit());
    }
    Capture c1 = Capture.read(q1);
    PremainIT.assertScript(c1, "main");
    assertTrue(c1.footer, "detach writes the footer");
    assertTrue(c1.forRequest("before").isEmpty());
    assertTrue(c1.forRequest("after").isEmpty(), "no row after detach");

    Capture c2 = Capture.read(q2);
    assertEquals(List.of(EventKind.READ, EventKind.WRITE, EventKind.REQUEST),
        c2.rows.stream().map(r -> r.kind).toList());
    assertTrue(c2.rows.stream().allMatch(r -> "again".equals(r.requestId)), c2.toString());
    assertTrue(c2.footer);
    assertTrue(c2.headers.get(0).options().endsWith(",budget=50,callTiming=full"), c2.headers.get(0).options());
    assertTrue(c2.rows.stream().noneMatch(r -> r.has(io.racetrace.trace.TraceSchema.F_UNTIMED)), c2.toString());
    assertTrue(c2.rows.stream().allMatch(r -> r.has(io.racetrace.trace.TraceSchema.F_KEY_BUCKET)), c2.toString());
    assertEquals(1, c2.sampling.size(), "a budget opens the capture with a sampling record");
  }

  @Test
  void duration_detachesByItself() throws Exception {
    Path q = tmp.resolve("q");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      app.send("seed sku-1 5");
      app.await("ok");
      assertEquals(0, attach(app.pid, PremainIT.PROBES, q, "--duration", "1s").exit());
      app.send("reserve x sku-1");
      app.await("result");
      Run d = null;
      for (int i = 0; i < 300; i++) { // bounded wait: 30 s
        Thread.sleep(100);
        d = cli("detach", Long.toString(app.pid), "--agent-jar", ForkedApp.AGENT_JAR.toString());
        if (d.exit() == 1) {
          break;
        }
      }
      assertTrue(d.err().contains("not attached"), d.err());
      app.exit();
    }
    assertTrue(Capture.read(q).footer);
  }

  @Test
  void badProbeFile_failsTheAttachClearly_andLeavesTheAppUntouched() throws Exception {
    Path probes = tmp.resolve("bad.yaml");
    java.nio.file.Files.writeString(probes, "probes:\n  - role: reed\n    class: a.B\n    method: m\n    key: arg0\n");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      Run a = attach(app.pid, probes, tmp.resolve("q"));
      assertEquals(1, a.exit());
      assertEquals("racetrace: agent refused to start in " + app.pid + ": " + probes
          + ":2: probes[0].role: unknown role 'reed' (expected one of arrival, request, read, write, attempt, commit, rollback)\n", a.err());
      app.send("seed sku-1 1");
      app.await("ok");
      app.send("reserve y sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      // A good attach still works afterwards.
      assertEquals(0, attach(app.pid, PremainIT.PROBES, tmp.resolve("q2")).exit());
      app.exit();
    }
  }

  /**
   * However a capture ends, the JVM can be attached again: a capture that ended by its own
   * duration, then one ended by detach, then a third. Each capture is complete with its footer.
   */
  @Test
  void afterDurationOrDetach_theJvmCanBeAttachedAgain() throws Exception {
    Path q1 = tmp.resolve("q1");
    Path q2 = tmp.resolve("q2");
    Path q3 = tmp.resolve("q3");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      app.send("seed sku-1 100");
      app.await("ok");
      Run a1 = attach(app.pid, PremainIT.PROBES, q1, "--duration", "1s");
      assertEquals(0, a1.exit(), a1.err());
      app.send("reserve d1 sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      awaitFooter(q1); // the capture ended by itself
      // The footer is written just before the capture is released: allow that moment, not more.
      Run a2 = attach(app.pid, PremainIT.PROBES, q2);
      for (int tries = 0; a2.exit() != 0 && a2.err().contains("already attached") && tries < 100; tries++) {
        Thread.sleep(100);
        a2 = attach(app.pid, PremainIT.PROBES, q2);
      }
      assertEquals(0, a2.exit(), "a capture that ended by its duration does not block the next: " + a2.err());
      app.send("reserve d2 sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      Run d2 = detach(app.pid);
      assertEquals(0, d2.exit(), d2.err());

      Run a3 = attach(app.pid, PremainIT.PROBES, q3);
      assertEquals(0, a3.exit(), a3.err());
      app.send("reserve d3 sku-1");
      assertEquals("result CONFIRMED", app.await("result"));
      assertEquals(0, detach(app.pid).exit());
      app.send("reserve after sku-1");
      assertEquals("result CONFIRMED", app.await("result"), "the app runs on");
      assertEquals(0, app.exit());
    }
    int i = 1;
    for (Path q : List.of(q1, q2, q3)) {
      Capture c = Capture.read(q);
      assertTrue(c.footer, q + " has its footer");
      assertEquals(0, c.counters.dropped(), c.counters.toString());
      assertEquals(List.of("d" + i), c.rows.stream().filter(r -> r.kind == EventKind.REQUEST).map(r -> r.requestId).toList(),
          "capture " + i + " holds its own request, whole");
      assertEquals(c.rows.size(), c.counters.rowsWritten());
      i++;
    }
  }

  /** attach says which probes matched, and a probe that matched nothing shows in its output and exit code. */
  @Test
  void attach_reportsProbeMatches_andExitsThreeForAProbeThatMatchedNothing() throws Exception {
    Path probes = tmp.resolve("probes.yaml");
    java.nio.file.Files.writeString(probes, java.nio.file.Files.readString(PremainIT.PROBES)
        + "  - name: misspelt\n    role: read\n    class: io.racetrace.agent.fixture.VersionedStore\n    method: raed\n    key: arg0\n    version: return\n");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      Run a = attach(app.pid, probes, tmp.resolve("q"));
      assertEquals(RacetraceMain.UNMATCHED, a.exit(), a.out() + a.err());
      assertTrue(a.out().contains("attached to " + app.pid), a.out());
      assertTrue(a.out().contains("  probe conditional-request (io.racetrace.agent.fixture.ReservationLogic#reserveConditional): 1 method"), a.out());
      assertTrue(a.out().contains("  probe misspelt (io.racetrace.agent.fixture.VersionedStore#raed): 0 methods"), a.out());
      assertEquals("racetrace: probe misspelt matched no method: class io.racetrace.agent.fixture.VersionedStore has no method matching raed\n",
          a.err().lines().filter(l -> l.contains("misspelt")).findFirst().orElse("") + "\n", a.err());
      assertEquals(0, detach(app.pid).exit());
      Run clean = attach(app.pid, PremainIT.PROBES, tmp.resolve("q2"));
      assertEquals(0, clean.exit(), "every probe of the fixture's own file matches: " + clean.out() + clean.err());
      assertEquals(0, detach(app.pid).exit());
      app.exit();
    }
  }

  /** A pid that is no JVM, and one that has exited, each get one clear line, not an Attach API error. */
  @Test
  void attachAndDetach_toAProcessThatIsNoJvm_orHasExited_sayWhichInOneLine() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      Run a = attach(sleeper.pid(), PremainIT.PROBES, tmp.resolve("q"));
      assertEquals(1, a.exit());
      assertEquals("racetrace: process " + sleeper.pid() + " (" + sleeper.info().command().orElseThrow() + ") is not a JVM\n", a.err());
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Run a = attach(gone.pid(), PremainIT.PROBES, tmp.resolve("q"));
    assertEquals(1, a.exit());
    assertEquals("racetrace: no process " + gone.pid() + " is running (has it exited?)\n", a.err());
    Run d = detach(gone.pid());
    assertEquals(1, d.exit());
    assertEquals("racetrace: no process " + gone.pid() + " is running (has it exited?)\n", d.err());
  }

  /** probes check against a running JVM attaches, lists each probe's matches, detaches; the JVM can be attached afterwards. */
  @Test
  void probesCheck_onARunningJvm_listsMatches_andLeavesItAttachable() throws Exception {
    Path probes = tmp.resolve("with-typo.yaml");
    java.nio.file.Files.writeString(probes, java.nio.file.Files.readString(PremainIT.PROBES)
        + "  - role: read\n    class: io.racetrace.agent.fixture.VersionedStore\n    method: raed\n    key: arg0\n    value: return\n");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      Run c = cli("probes", "check", "--probes", probes.toString(), Long.toString(app.pid), "--agent-jar", ForkedApp.AGENT_JAR.toString());
      assertEquals(3, c.exit(), c.out() + c.err());
      assertTrue(c.out().contains("probe read:VersionedStore.read (io.racetrace.agent.fixture.VersionedStore#read): 1 method"), c.out());
      assertTrue(c.out().contains("probe read:VersionedStore.raed (io.racetrace.agent.fixture.VersionedStore#raed): 0 methods"), c.out());
      assertEquals(7, c.out().lines().filter(l -> l.endsWith(": 1 method")).count(), c.out());

      Path q = tmp.resolve("after-check");
      assertEquals(0, attach(app.pid, PremainIT.PROBES, q).exit(), "the check detached: a capture can start");
      app.send("seed sku-1 5");
      app.await("ok");
      app.send("reserve after-check sku-1");
      app.await("result");
      assertEquals(0, detach(app.pid).exit());
      awaitFooter(q);
      assertEquals(List.of("after-check"), Capture.read(q).rows.stream()
          .filter(r -> r.kind == io.racetrace.trace.EventKind.REQUEST).map(r -> r.requestId).toList());
    }
  }

  /** Waits (bounded) until a capture's queue holds its footer. */
  static void awaitFooter(Path queue) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (Capture.read(queue).footer) {
          return;
        }
      } catch (Exception notYet) {
        // the queue may not be readable yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no footer in " + queue + " within 60 s");
  }
}
