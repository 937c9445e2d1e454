package io.racetrace.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking JSON client over the JDK HttpClient, for tests against a real service. */
final class TestHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  TestHttp(URI base) {
    this.base = base;
  }

  record Resp(int status, JsonNode body, String contentType) {
    String outcome() {
      return body.path("outcome").asText(null);
    }
  }

  Resp send(String method, String path, String body) {
    HttpRequest.BodyPublisher pub =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return send(HttpRequest.newBuilder(base.resolve(path)).method(method, pub));
  }

  Resp send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode node = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Resp(r.statusCode(), node, r.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new AssertionError("HTTP call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Resp get(String path) {
    return send("GET", path, null);
  }

  Resp post(String path, String body) {
    return send("POST", path, body);
  }

  Resp put(String path, String body) {
    return send("PUT", path, body);
  }

  Resp reserve(String requestId, String sku) {
    return post("/reservations", "{\"requestId\":\"" + requestId + "\",\"sku\":\"" + sku + "\"}");
  }

  /** Polls {@code /admin/stats} until {@code field} reaches {@code atLeast}, up to 30 s. */
  JsonNode awaitStat(String field, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode s;
    do {
      s = get("/admin/stats").body();
      if (s.path(field).asLong() >= atLeast) {
        return s;
      }
      Thread.sleep(5);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("stat " + field + " never reached " + atLeast + ": " + s);
  }
}
