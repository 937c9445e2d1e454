package io.racetrace.target.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.target.ReservationRequest;
import io.racetrace.target.ReservationService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns JSON bodies into validated values, or an {@link ApiException} (400) saying what is wrong. */
final class RequestParser {
  static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Largest inventory quantity the admin may seed. */
  static final long MAX_INVENTORY = 1_000_000_000_000L;

  private RequestParser() {}

  /** {@code {"requestId": "...", "sku": "...", "quantity": 1}}; quantity defaults to 1. */
  static ReservationRequest reservation(JsonNode body) throws ApiException {
    requireObject(body);
    String requestId = text(body, "requestId", REQUEST_ID);
    String sku = text(body, "sku", SKU);
    JsonNode q = body.get("quantity");
    int quantity = 1;
    if (q != null && !q.isNull()) {
      if (!q.isIntegralNumber() || !q.canConvertToLong()) {
        throw invalid("quantity must be a whole number");
      }
      long v = q.longValue();
      if (v < 1 || v > ReservationService.MAX_QUANTITY) {
        throw invalid("quantity must be in [1, " + ReservationService.MAX_QUANTITY + "], got " + v);
      }
      quantity = (int) v;
    }
    return new ReservationRequest(requestId, sku, quantity);
  }

  /** {@code {"sku-1": 100, ...}}: at least one sku, each with a quantity in [0, 10^12]. */
  static Map<String, Long> inventory(JsonNode body) throws ApiException {
    requireObject(body);
    if (body.isEmpty()) {
      throw invalid("at least one sku is required");
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!SKU.matcher(e.getKey()).matches()) {
        throw invalid("bad sku " + quote(e.getKey()) + ": 1-64 of [A-Za-z0-9._-]");
      }
      JsonNode v = e.getValue();
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > MAX_INVENTORY) {
        throw invalid("quantity of " + e.getKey() + " must be a whole number in [0, " + MAX_INVENTORY + "]");
      }
      out.put(e.getKey(), v.longValue());
    }
    return out;
  }

  /** {@code {"readLatencyMs": 5, ..., "seed": 7}}: numbers only; the knob names are checked later. */
  static Map<String, Number> numbers(JsonNode body) throws ApiException {
    requireObject(body);
    Map<String, Number> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!e.getValue().isNumber()) {
        throw invalid(e.getKey() + " must be a number");
      }
      out.put(e.getKey(), e.getValue().numberValue());
    }
    return out;
  }

  private static void requireObject(JsonNode body) throws ApiException {
    if (body == null || !body.isObject()) {
      throw new ApiException(400, "malformed_json", "a JSON object is expected");
    }
  }

  private static String text(JsonNode body, String field, Pattern pattern) throws ApiException {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw new ApiException(400, "missing_field", field + " is required");
    }
    if (!n.isTextual() || !pattern.matcher(n.textValue()).matches()) {
      throw invalid(field + " must be a string matching " + pattern.pattern());
    }
    return n.textValue();
  }

  private static ApiException invalid(String message) {
    return new ApiException(400, "invalid_field", message);
  }

  private static String quote(String s) {
    return '"' + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + '"';
  }
}
