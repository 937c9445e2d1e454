package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded jar as users start it: a forked JVM on an ephemeral port, found by its ready line. */
class TargetServiceJarIT {

  @Test
  void fatJar_portZero_printsReadyAndServes() throws Exception {
    Path jar = Path.of(System.getProperty("racetrace.targetService.jar", "target/racetrace-target-service.jar"));
    assertTrue(Files.isRegularFile(jar), "missing " + jar.toAbsolutePath());
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "--mode", "conditional", "--port", "0", "--seed-inventory", "sku-1=2,sku-2=5"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("ready: port=")) {
              return Integer.parseInt(line.substring("ready: port=".length()).trim());
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        throw new IllegalStateException("exited without a ready line");
      });
      int p0 = port.get(60, TimeUnit.SECONDS);
      assertTrue(p0 > 0);
      TestHttp http = new TestHttp(URI.create("http://127.0.0.1:" + p0));
      assertEquals("conditional", http.get("/health").body().path("mode").asText());
      assertEquals("CONFIRMED", http.reserve("it-1", "sku-1").outcome());
      assertEquals("CONFIRMED", http.reserve("it-2", "sku-1").outcome());
      assertEquals("SOLD_OUT", http.reserve("it-3", "sku-1").outcome());
      assertEquals(0, http.get("/inventory/sku-1").body().path("quantity").asLong());
      assertEquals(5, http.get("/inventory/sku-2").body().path("quantity").asLong());
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
