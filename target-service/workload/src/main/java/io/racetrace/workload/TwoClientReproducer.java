package io.racetrace.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The validation plan's step-2 reproducer: two clients reserve the last unit of one sku (I0 = 1) at the same
 * moment, N times. Each client has its own HTTP connection (warmed up first) and its own thread;
 * a {@link CyclicBarrier} releases both sends together. With two targets, client A talks to the
 * first and B to the second, as two workers behind a load balancer would.
 *
 * <p>A run oversold if {@code confirmed > 1 - remaining}. Whether the race window is hit depends
 * on the storage latency: with none, two in-memory transactions rarely overlap; the fault knob
 * {@code readLatencyMs} (set here through {@code faults}) widens it.
 */
public final class TwoClientReproducer {
  /** @param faults fault knobs to set on every target first, or an empty map */
  public record Config(List<URI> targets, String sku, int runs, long seed, Map<String, Double> faults) {
    public Config {
      targets = List.copyOf(targets);
      faults = Map.copyOf(faults);
      if (targets.isEmpty() || runs < 1) {
        throw new IllegalArgumentException("need at least one target and one run");
      }
    }
  }

  public record Attempt(String requestId, int status, String outcome, long version) {}

  public record RaceRun(int run, Attempt a, Attempt b, long remaining, int confirmed, boolean oversold) {}

  public record Report(String sku, int runs, int oversoldRuns, List<RaceRun> details) {
    public String summary() {
      return String.format("two-client race on %s (I0 = 1): %d of %d runs oversold%n", sku, oversoldRuns, runs);
    }
  }

  private final Config config;
  private final AdminClient admin = new AdminClient();

  public TwoClientReproducer(Config config) {
    this.config = config;
  }

  public Report run() throws IOException, InterruptedException {
    if (!config.faults().isEmpty()) {
      for (URI t : config.targets()) {
        admin.setFaults(t, config.faults());
      }
    }
    URI targetA = config.targets().get(0);
    URI targetB = config.targets().get(config.targets().size() > 1 ? 1 : 0);
    HttpClient clientA = newClient();
    HttpClient clientB = newClient();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<RaceRun> runs = new ArrayList<>();
    try {
      clientA.send(get(targetA, "/health"), HttpResponse.BodyHandlers.discarding());
      clientB.send(get(targetB, "/health"), HttpResponse.BodyHandlers.discarding());
      String prefix = "race-" + Long.toUnsignedString(config.seed(), 36) + "-";
      for (int i = 0; i < config.runs(); i++) {
        admin.upsertInventory(targetA, Map.of(config.sku(), 1L));
        CyclicBarrier barrier = new CyclicBarrier(2);
        String idA = prefix + i + "-A";
        String idB = prefix + i + "-B";
        Future<Attempt> fa = threads.submit(() -> reserve(clientA, targetA, idA, barrier));
        Future<Attempt> fb = threads.submit(() -> reserve(clientB, targetB, idB, barrier));
        Attempt a = get(fa);
        Attempt b = get(fb);
        JsonNode row = Profiles.JSON.readTree(
            clientA.send(get(targetA, "/inventory/" + config.sku()), HttpResponse.BodyHandlers.ofString()).body());
        long remaining = row.path("quantity").asLong();
        int confirmed = ("CONFIRMED".equals(a.outcome()) ? 1 : 0) + ("CONFIRMED".equals(b.outcome()) ? 1 : 0);
        runs.add(new RaceRun(i, a, b, remaining, confirmed, confirmed > 1 - remaining));
      }
    } finally {
      threads.shutdownNow();
    }
    int oversold = (int) runs.stream().filter(RaceRun::oversold).count();
    return new Report(config.sku(), config.runs(), oversold, runs);
  }

  private static Attempt get(Future<Attempt> f) throws IOException, InterruptedException {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      throw new IOException("race client failed: " + e.getCause(), e);
    }
  }

  private Attempt reserve(HttpClient client, URI target, String id, CyclicBarrier barrier)
      throws IOException, InterruptedException, BrokenBarrierException, TimeoutException {
    HttpRequest req = HttpRequest.newBuilder(target.resolve("/reservations"))
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"requestId\":\"" + id + "\",\"sku\":\"" + config.sku() + "\"}"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .build();
    barrier.await(30, TimeUnit.SECONDS); // both clients leave together
    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode b = Profiles.JSON.readTree(r.body());
    return new Attempt(id, r.statusCode(), b.path("outcome").asText(null), b.path("version").asLong(-1));
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpRequest get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build();
  }
}
