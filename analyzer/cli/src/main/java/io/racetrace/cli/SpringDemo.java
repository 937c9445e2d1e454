package io.racetrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The demo's phase on the second reference service: the Spring Boot one (Spring Data JPA,
 * Hibernate, a {@code @Version} entity, HikariCP; {@code target-service/spring-service}), captured
 * with the 13-line pack-based probe file a user would write ({@code samples/probes/spring-service.yaml}).
 * Its racy endpoint (read, check, bulk update) and its safe one ({@code @Version}, bounded retry,
 * idempotent ids) each take concurrent reservations on a hot sku; each capture's invariant mismatch
 * is printed beside the database's own count ({@code GET /truth}).
 *
 * <p>The service never depends on the agent: it starts without it, and each endpoint's phase
 * attaches, drives, detaches.
 */
final class SpringDemo {
  static final int CLIENTS = 8;
  static final int REQUESTS = 240;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One endpoint's phase: the database's count and the capture's. */
  record Result(String endpoint, long storeMismatch, long analyzerMismatch, long lostUpdates, long writeConflicts,
      String decision, int exitCode) {}

  private final Path home;
  private final Path out;
  private final PrintWriter o;
  private final PrintWriter err;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  SpringDemo(Path home, Path out, PrintWriter o, PrintWriter err) {
    this.home = home;
    this.out = out;
    this.o = o;
    this.err = err;
  }

  /** Both endpoints, racy then safe; empty if the Spring service is not built (said so). */
  List<Result> run(Path agent) throws Exception {
    Path jar = home.resolve("target-service/target/racetrace-spring-service.jar");
    o.println();
    o.println("== Spring Boot service (Spring Data JPA, Hibernate @Version; probes: samples/probes/spring-service.yaml, on packs) ==");
    if (!Files.isRegularFile(jar)) {
      o.println("skipped: " + home.relativize(jar) + " is not built (mvn -B -q -DskipTests package)");
      return List.of();
    }
    Path probes = home.resolve("samples/probes/spring-service.yaml");
    Path criteria = home.resolve("samples/criteria/spring-service.yaml");
    List<Result> results = new ArrayList<>();
    try (ServiceJvm svc = new ServiceJvm(jar, List.of("--port=0"), List.of("--reservations.read-latency-ms=2"),
        out.resolve("service.log"))) {
      send(svc.uri, "PUT", "/admin/stock", "{\"demo-racy\": 40, \"demo-safe\": 60}", null);
      for (String endpoint : List.of("racy", "safe")) {
        String sku = "demo-" + endpoint;
        Path dir = out.resolve(endpoint);
        Path queue = dir.resolve("queue");
        AgentAttacher attacher = new AgentAttacher(o, err);
        attacher.attach(svc.pid, agent, "probes=" + probes + ",queue=" + queue + ",worker=spring,callTiming=full");
        drive(svc.uri, "/reservations/" + endpoint, sku, endpoint.equals("racy") ? 21 : 22);
        attacher.detach(svc.pid, agent);
        JsonNode truth = skuTruth(send(svc.uri, "GET", "/truth", null, null), sku);
        Files.writeString(dir.resolve("truth.json"), truth.toPrettyString());
        results.add(analyze(endpoint, queue, dir, criteria, truth));
      }
    }
    for (Result r : results) {
      o.printf("%-16s %6d requests   mismatch: store %d, capture %d   lost updates %d   write conflicts %d   -> %s%n",
          "spring-" + r.endpoint(), REQUESTS, r.storeMismatch(), r.analyzerMismatch(), r.lostUpdates(), r.writeConflicts(),
          r.decision());
    }
    return results;
  }

  private Result analyze(String endpoint, Path queue, Path dir, Path criteria, JsonNode truth) throws Exception {
    StringWriter e = new StringWriter();
    int code = RacetraceMain.run(new PrintWriter(new StringWriter(), true), new PrintWriter(e, true), "analyze",
        queue.toString(), "--out", dir.resolve("report").toString(), "--criteria", criteria.toString(), "--quiet");
    if (code == RacetraceMain.USAGE) {
      throw new UserException(RacetraceMain.FAILED, "analysis of phase spring-" + endpoint + " failed: " + e.toString().trim());
    }
    JsonNode rep = JSON.readTree(dir.resolve("report/report.json").toFile());
    JsonNode det = rep.path("detectors");
    return new Result(endpoint, truth.path("mismatchUnits").asLong(), det.path("invariant").path("mismatch").asLong(),
        det.path("lostUpdates").path("lostUpdates").asLong(), det.path("retries").path("writeConflicts").asLong(),
        rep.path("release").path("decision").asText(), code);
  }

  /** {@link #REQUESTS} reservations of 1 to 3 units (seeded) on {@code sku}, from {@link #CLIENTS} threads at once. */
  private void drive(URI base, String path, String sku, long seed) throws Exception {
    Random random = new Random(seed);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        String body = "{\"sku\": \"" + sku + "\", \"units\": " + (1 + random.nextInt(3)) + "}";
        String id = sku + "-" + i;
        answers.add(pool.submit(() -> send(base, "POST", path, body, id)));
      }
      for (Future<JsonNode> a : answers) {
        a.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private JsonNode send(URI base, String method, String path, String json, String requestId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
      throw new UserException(RacetraceMain.FAILED, method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static JsonNode skuTruth(JsonNode truth, String sku) {
    for (JsonNode s : truth.path("skus")) {
      if (s.path("sku").asText().equals(sku)) {
        return s;
      }
    }
    throw new UserException(RacetraceMain.FAILED, "the Spring service's /truth has no " + sku + ": " + truth);
  }
}
