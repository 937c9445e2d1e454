package io.racetrace.agent.it;

import static io.racetrace.trace.TraceSchema.F_NO_REQUEST;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes with {@code subtypes: true} on an interface weave the JDK dynamic proxies that implement
 * it, as Spring Data's repositories are (fixture: {@code CatalogProxies}). The proxies live in
 * dynamic modules ({@code jdk.proxyN}) that do not read the bridge's module on the bootstrap class
 * path by themselves (one here implements only {@code java.sql.Statement}, so its module reads
 * only named modules); a call the proxy's handler forwards to a woven implementation of the same
 * probe is captured once, by the proxy; a proxy of an interface no probe names is not woven.
 */
class ProxiesIT {
  /** The rows of one {@code catalog} command, in order: probe, kind, key=value. */
  static final List<String> EXPECTED = List.of("count READ sku-1=1", "stock READ sku-2=20", "stock READ sku-3=30",
      "stock READ sku-4=40", "update WRITE update stock=1");

  /** The read probe on {@code Catalog}, whose implementations include two JDK proxies. */
  static final String STOCK = "  - {name: stock, role: read, class: io.racetrace.agent.fixture.Catalog, subtypes: true,"
      + " method: stockOf, key: arg0, value: return}";

  @TempDir Path tmp;

  Path probes() throws Exception {
    Path probes = tmp.resolve("catalog.yaml");
    Files.writeString(probes, String.join("\n",
        "probes:",
        STOCK,
        "  - {name: count, role: read, class: io.racetrace.agent.fixture.CatalogRepository, subtypes: true,"
            + " method: countBySku, key: arg0, value: return}",
        "  - {name: update, role: write, class: java.sql.Statement, subtypes: true, method: executeUpdate,"
            + " key: arg0, value: return, success: return}",
        ""));
    return probes;
  }

  @Test
  void subtypesProbe_weavesProxies_andCapturesAForwardedCallOnce() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(probes(), queue)))) {
      app.send("catalog");
      assertEquals("catalog done 97", app.await("catalog done"), "the woven proxies return what they did unwoven");
      assertEquals(0, app.exit());
    }
    assertCaptured(Capture.read(queue));
  }

  /** Proxy classes loaded before the agent came are retransformed on attach, and restored on detach. */
  @Test
  void attachedLater_retransformsLoadedProxies_detachRestoresThem() throws Exception {
    Path queue = tmp.resolve("attached");
    try (ForkedApp app = new ForkedApp(AttachIT.DYNAMIC_AGENTS)) {
      app.send("catalog"); // the proxy classes are defined now, unwoven (the JDK caches them per loader)
      assertEquals("catalog done 97", app.await("catalog done"));
      AttachIT.Run a = AttachIT.attach(app.pid, probes(), queue);
      assertEquals(0, a.exit(), a.err() + a.out());
      app.send("catalog");
      assertEquals("catalog done 97", app.await("catalog done"));
      AttachIT.Run d = AttachIT.detach(app.pid);
      assertEquals(0, d.exit(), d.err());
      app.send("catalog");
      assertEquals("catalog done 97", app.await("catalog done"), "the proxies run on after detach");
      assertEquals(0, app.exit());
    }
    assertCaptured(Capture.read(queue));
  }

  /**
   * A second capture in the same JVM, with more probes: the thread's proxy bookkeeping from the
   * first must not be taken for the second's (each attach loads the agent's core anew; a counter
   * kept there restarted, and the second capture indexed the first's one-probe array with its own
   * probe 1: "woven code failed: ArrayIndexOutOfBoundsException").
   */
  @Test
  void secondCaptureWithMoreProbes_startsFromCleanProxyBookkeeping() throws Exception {
    Path one = tmp.resolve("stock-only.yaml");
    Files.writeString(one, String.join("\n",
        "probes:",
        STOCK,
        ""));
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    try (ForkedApp app = new ForkedApp(AttachIT.DYNAMIC_AGENTS)) {
      app.send("catalog"); // the classes are loaded: each probe matches at attach
      assertEquals("catalog done 97", app.await("catalog done"));
      AttachIT.Run a1 = AttachIT.attach(app.pid, one, first);
      assertEquals(0, a1.exit(), a1.err() + a1.out());
      app.send("catalog");
      assertEquals("catalog done 97", app.await("catalog done"));
      assertEquals(0, AttachIT.detach(app.pid).exit());
      AttachIT.Run a = AttachIT.attach(app.pid, probes(), second);
      assertEquals(0, a.exit(), a.err() + a.out());
      app.send("catalog");
      assertEquals("catalog done 97", app.await("catalog done"));
      assertEquals(0, AttachIT.detach(app.pid).exit());
      assertEquals(0, app.exit());
    }
    Capture c = Capture.read(first);
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    assertEquals(List.of("sku-2=20", "sku-3=30", "sku-4=40"),
        c.rows.stream().map(r -> r.key + "=" + r.value).collect(Collectors.toList()));
    assertCaptured(Capture.read(second));
  }

  private static void assertCaptured(Capture c) {
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    assertEquals(0, c.counters.extractorErrors(), c.toString());
    assertEquals(EXPECTED,
        c.rows.stream().map(r -> c.probeName(r) + " " + r.kind + " " + r.key + "=" + r.value).collect(Collectors.toList()),
        "one row per call the application made: the proxy-only method, the forwarded call once, the direct"
            + " call, the chain of two proxies once, the JDBC proxy; nothing from the proxy of the unrelated interface");
    for (TraceRow r : c.rows) {
      assertTrue((r.flags & F_NO_REQUEST) != 0, r.toString());
      assertEquals(r.kind == EventKind.WRITE ? Result.SUCCESS : Result.NONE, r.result, r.toString());
    }
    // stockOf: CatalogStore's, and the two proxies' that implement Catalog; countBySku: the repository proxy's.
    assertEquals(3, matched(c, "stock"), c.probes.toString());
    assertEquals(1, matched(c, "count"), c.probes.toString());
    assertEquals(4, matched(c, "update"), "the Statement proxy's four executeUpdate overloads: " + c.probes);
  }

  private static int matched(Capture c, String probe) {
    return c.probes.values().stream().filter(p -> p.name().equals(probe)).findFirst().orElseThrow().matchedMethods();
  }
}
