package io.racetrace.agent.it;

import static io.racetrace.trace.TraceSchema.F_NO_REQUEST;
import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.fixture.JavaxServletShop;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code servlet-javax} pack against the container it names, Tomcat 9 (javax.servlet), in a
 * forked JVM: one request row per HTTP call, its id from the {@code X-Request-Id} header (absent
 * when the client sent none), its outcome from the response status, and the servlet's reads and
 * writes inside it. What is expected is what the fixture sent and the statuses it got back.
 */
class ServletJavaxPackIT {
  static final Path PROBES = Path.of("src/test/resources/probes/servlet-javax.yaml").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void javaxServletRequests_areCapturedWithTheirHeaderIdAndStatus() throws Exception {
    Path queue = tmp.resolve("queue");
    String done;
    try (ForkedApp app = new ForkedApp(ForkedApp.javaHome(), List.of(ForkedApp.agentArg(PROBES, queue)),
        List.of(jarOf(org.apache.catalina.startup.Tomcat.class), jarOf(javax.annotation.security.DeclareRoles.class)))) {
      app.send("javax-servlet");
      done = app.await("javax-servlet done");
      assertEquals(0, app.exit());
    }
    assertEquals("javax-servlet done 200 200 200 409 409 503 200 left 0 4", done, "what the service answered");

    Capture c = Capture.read(queue);
    assertEquals(0, c.counters.adviceErrors(), c.toString());
    assertEquals(0, c.counters.extractorErrors(), c.toString());
    List<TraceRow> requests = c.rows.stream().filter(r -> r.kind == EventKind.REQUEST).collect(Collectors.toList());
    assertEquals(JavaxServletShop.REQUESTS.length, requests.size(), "one row per HTTP call: " + requests);
    List<String> ids = new java.util.ArrayList<>();
    for (String[] r : JavaxServletShop.REQUESTS) {
      ids.add(r[1]);
    }
    assertEquals(ids, requests.stream().map(r -> r.requestId).collect(Collectors.toList()), "ids from the header");
    assertEquals(List.of(Result.SUCCESS, Result.SUCCESS, Result.SUCCESS, Result.CONFLICT, Result.CONFLICT, Result.ERROR,
        Result.SUCCESS), requests.stream().map(r -> r.result).collect(Collectors.toList()), "outcomes from the status");

    assertEquals(List.of("r-1 sku-1=3", "r-2 sku-1=2", "r-3 sku-1=1", "r-4 sku-1=0", "r-5 sku-1=0", "null sku-2=5",
        "outside sku-1=0", "outside sku-2=4"), rows(c, EventKind.READ),
        "the reads, inside their requests (the one without an id too), then the fixture's own, after serving");
    assertEquals(List.of("outside sku-1=3", "outside sku-2=5", "r-1 sku-1=2", "r-2 sku-1=1", "r-3 sku-1=0", "null sku-2=4"),
        rows(c, EventKind.WRITE), "the fixture's stocking, then the writes, inside their requests");
  }

  private static List<String> rows(Capture c, EventKind kind) {
    return c.rows.stream().filter(r -> r.kind == kind)
        .map(r -> ((r.flags & F_NO_REQUEST) != 0 ? "outside" : String.valueOf(r.requestId)) + " " + r.key + "=" + r.value)
        .collect(Collectors.toList());
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
