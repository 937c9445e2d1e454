package io.racetrace.agent.it;

import static io.racetrace.agent.it.AttachIT.DYNAMIC_AGENTS;
import static io.racetrace.agent.it.AttachIT.attach;
import static io.racetrace.agent.it.AttachIT.detach;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detach restores the original bytecode: after it, not one call of a probed method reaches the
 * bootstrap dispatcher. A counting sink put into the dispatcher inside the app's JVM tells woven
 * code from original code (reading the class bytes back would not: a retransformation runs the
 * transformers again). The same spy while attached is the control that sees every call.
 */
class DetachIT {
  @TempDir Path tmp;

  /** What {@code probed} returns, woven or not. */
  static final String RESULTS = "[CONFIRMED, SOLD_OUT, CONFIRMED, true, threw storage timeout simulated,"
      + " Item[sku=b, quantity=2, version=3], true, false, Item[sku=c, quantity=6, version=4]]";
  /**
   * One {@code probed}, woven: requests reserve, reserve, reserveConditional, tryReserve and its
   * nested reserve, failing; calls 2 + 1 + 5 (two reads, two CAS, the competitor's CAS) + 2 + 1
   * (reads and writes within requests) + 5 (direct read, write, CAS, CAS, read): 8 reads (the
   * failing call is a read) and 8 writes, each through its role's own exit.
   */
  static final String WOVEN = "enterRequest=6 exitRequest=6 enterCall=16 exitArrival=0 exitRead=8 exitWrite=8 exitAttempt=0 exitTransaction=0 adviceError=0";
  static final String ORIGINAL = "enterRequest=0 exitRequest=0 enterCall=0 exitArrival=0 exitRead=0 exitWrite=0 exitAttempt=0 exitTransaction=0 adviceError=0";
  static final String AGENT_SINK = "io.racetrace.agent.core.";

  @Test
  void detach_restoresOriginalBytecode_noAdviceLeft_andReattachWeavesAgain() throws Exception {
    Path q1 = tmp.resolve("q1");
    Path q2 = tmp.resolve("q2");
    try (ForkedApp app = new ForkedApp(DYNAMIC_AGENTS)) {
      // Before any agent: the probed classes are loaded and run unwoven; no bridge on the boot class path.
      assertEquals("probed " + RESULTS, probed(app, "before"));
      app.send("spy on");
      assertEquals("spy on unavailable", app.await("spy on"));

      for (Path q : List.of(q1, q2)) {
        String n = q.getFileName().toString();
        assertEquals(0, attach(app.pid, PremainIT.PROBES, q).exit());

        // Control: woven code calls the dispatcher, once per entry and exit of every probed call.
        app.send("spy on");
        assertTrue(app.await("spy on").startsWith("spy on " + AGENT_SINK), "the agent's sink is installed");
        assertEquals("probed " + RESULTS, probed(app, "woven" + n), "woven methods return what they did before");
        app.send("spy off");
        assertEquals("spy off " + WOVEN, app.await("spy off"));

        AttachIT.Run d = detach(app.pid);
        assertEquals(0, d.exit(), d.err());

        // After detach: the sink is gone, and no probed method calls the dispatcher any more.
        app.send("spy on");
        assertEquals("spy on none", app.await("spy on"), "detach uninstalled the agent's sink");
        assertEquals("probed " + RESULTS, probed(app, "detached" + n), "restored methods return what they did before");
        app.send("spy off");
        assertEquals("spy off " + ORIGINAL, app.await("spy off"), "no advice is left in the probed classes");
      }
      assertEquals(0, app.exit());
    }
    for (Path q : List.of(q1, q2)) {
      String n = q.getFileName().toString();
      Capture c = Capture.read(q);
      assertTrue(c.footer, "detach writes the footer");
      // The spy forwarded to the agent's sink: the control's calls were captured as usual.
      assertEquals(List.of("woven" + n + "-1", "woven" + n + "-2", "woven" + n + "-3", "woven" + n + "-4", "woven" + n + "-5"),
          c.rows.stream().filter(r -> r.kind == EventKind.REQUEST).map(r -> r.requestId).toList(), c.toString());
      assertEquals(0, c.counters.adviceErrors());
      assertTrue(c.rows.stream().noneMatch(r -> r.requestId != null && !r.requestId.startsWith("woven" + n + "-")),
          c.toString());
    }
  }

  private static String probed(ForkedApp app, String tag) throws Exception {
    app.send("probed " + tag);
    return app.await("probed");
  }
}
