package io.racetrace.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.TraceRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a capture taken from production may and may not hold. */
class SecurityIT {
  @TempDir Path tmp;

  @Test
  void hashIds_keepsIdsOutOfTheCapture_andEqualIdsEqual() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PremainIT.PROBES, queue) + ",hashIds=true,hashSalt=pepper"))) {
      app.send("script");
      app.await("script done");
      app.exit();
    }
    Capture c = Capture.read(queue);
    assertEquals(19, c.rows.size());
    for (TraceRow r : c.rows) {
      assertTrue(r.key.matches("h:[0-9a-f]{20}"), r.toString());
    }
    List<TraceRow> requests = c.rows.stream().filter(r -> r.kind == io.racetrace.trace.EventKind.REQUEST).toList();
    assertEquals(6, requests.stream().map(r -> r.requestId).distinct().count(), "distinct ids stay distinct");
    assertEquals(2, c.rows.stream().map(r -> r.key).distinct().count(), "sku-1 and sku-2, hashed");
    assertTrue(c.headers.get(0).options().contains("hashSalt=***"), c.headers.get(0).options());
    for (Path f : files(queue)) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertFalse(raw.contains("sku-1") || raw.contains("pepper"), f + " holds a raw id or the salt");
    }
  }

  @Test
  void queueDirectoryAndFiles_areOwnerOnly() throws Exception {
    Path queue = tmp.resolve("queue");
    try (ForkedApp app = new ForkedApp(List.of(ForkedApp.agentArg(PremainIT.PROBES, queue)))) {
      app.send("script");
      app.await("script done");
      app.exit();
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(queue)));
    List<Path> files = files(queue);
    assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".cq4")), files.toString());
    for (Path f : files) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
    }
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
