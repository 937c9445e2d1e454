package io.racetrace.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Blocking calls to the target service's health and admin endpoints. Any non-2xx is an IOException. */
public final class AdminClient {
  private final HttpClient client;

  public AdminClient() {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  public JsonNode health(URI base) throws IOException, InterruptedException {
    return call(base, "GET", "/health", null);
  }

  /** Replaces the whole inventory (and resets the server counters): a new test phase. */
  public JsonNode replaceInventory(URI base, Map<String, Long> inventory) throws IOException, InterruptedException {
    return call(base, "PUT", "/admin/inventory", inventory);
  }

  /** Sets the given skus (version 0, their reservation records forgotten), leaving others alone. */
  public JsonNode upsertInventory(URI base, Map<String, Long> inventory) throws IOException, InterruptedException {
    return call(base, "POST", "/admin/inventory", inventory);
  }

  public JsonNode inventory(URI base) throws IOException, InterruptedException {
    return call(base, "GET", "/admin/inventory", null);
  }

  public JsonNode stats(URI base) throws IOException, InterruptedException {
    return call(base, "GET", "/admin/stats", null);
  }

  public JsonNode setFaults(URI base, Map<String, ? extends Number> knobs) throws IOException, InterruptedException {
    return call(base, "PUT", "/admin/faults", knobs);
  }

  public JsonNode restartWorkers(URI base) throws IOException, InterruptedException {
    return call(base, "POST", "/admin/restart-workers", null);
  }

  /** The quantity of every sku in the store, from {@code GET /admin/inventory}. */
  public static Map<String, Long> quantities(JsonNode inventoryState) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (JsonNode s : inventoryState.path("skus")) {
      out.put(s.path("sku").asText(), s.path("quantity").asLong());
    }
    return out;
  }

  private JsonNode call(URI base, String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher pub = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(Profiles.JSON.writeValueAsBytes(body));
    HttpRequest req = HttpRequest.newBuilder(base.resolve(path))
        .method(method, pub)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .build();
    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(method + " " + base.resolve(path) + " answered " + r.statusCode() + ": " + r.body());
    }
    return Profiles.JSON.readTree(r.body());
  }
}
