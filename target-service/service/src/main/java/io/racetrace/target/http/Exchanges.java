package io.racetrace.target.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading bounded JSON bodies and writing JSON answers. */
final class Exchanges {
  /** Largest request body accepted; larger is answered 413 without being read. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Exchanges() {}

  /** The body parsed as one JSON value; 413 if too large, 400 if not JSON. */
  static JsonNode readJson(HttpExchange ex) throws ApiException, IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad_content_length", "Content-Length is not a number");
      }
      if (n > MAX_BODY_BYTES) {
        throw tooLarge();
      }
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1); // chunked bodies have no Content-Length
    }
    if (body.length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    if (body.length == 0) {
      throw new ApiException(400, "malformed_json", "empty body; a JSON object is expected");
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiException(400, "malformed_json", "body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "body_too_large", "body larger than " + MAX_BODY_BYTES + " bytes");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static Map<String, Object> error(String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", code);
    m.put("message", message);
    return m;
  }

  /** Writes the answer; a client that went away is not an error of ours. */
  static void send(HttpExchange ex, int status, Object body) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      ex.close();
    }
  }
}
