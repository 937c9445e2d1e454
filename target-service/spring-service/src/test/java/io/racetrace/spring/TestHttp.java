package io.racetrace.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small real-HTTP client for the tests: JSON in, status and JSON out. */
final class TestHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: the HTTP status and the parsed body. */
  record Answer(int status, JsonNode body) {
    String text(String field) {
      return body.path(field).asText();
    }

    long number(String field) {
      return body.path(field).asLong();
    }
  }

  private final URI base;
  private final HttpClient client;

  TestHttp(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
  }

  Answer reserve(String path, String requestId, String sku, int units) {
    return post(path, requestId, "{\"sku\":\"" + sku + "\",\"units\":" + units + "}");
  }

  /** POST with a raw body; {@code requestId} null sends no X-Request-Id header. */
  Answer post(String path, String requestId, String body) {
    HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    return send(b.build());
  }

  Answer put(String path, Object body) {
    try {
      return send(request(path).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Answer get(String path) {
    return send(request(path).GET().build());
  }

  /** Sets one sku's stock and forgets its reservations; returns its truth row. */
  JsonNode restock(String sku, long stock) {
    Answer a = put("/admin/stock", Map.of(sku, stock));
    if (a.status() != 200) {
      throw new IllegalStateException("restock answered " + a);
    }
    return a.body().path("skus").get(0);
  }

  JsonNode truth(String sku) {
    return get("/truth/" + sku).body();
  }

  long stat(String name) {
    return get("/stats").number(name);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Answer(r.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
