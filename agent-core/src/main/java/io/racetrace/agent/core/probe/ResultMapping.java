package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.racetrace.agent.core.extract.ExtractorPath;
import io.racetrace.trace.Result;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a request's outcome becomes a {@link Result}: a value taken from the call ({@code from},
 * by default the return value) looked up in {@code map} by its enum name, string, boolean or
 * number spelling ({@code null} for a null); unmapped values give {@code otherwise}. An exception
 * is looked up in {@code thrown} by its class name or any superclass name; unmapped exceptions give
 * {@code timeout} when their class name contains "Timeout", else {@code error}.
 *
 * <pre>
 * result:
 *   from: return
 *   map: {CONFIRMED: success, SOLD_OUT: rejected, CONFLICT: conflict}
 *   otherwise: success
 *   thrown: {java.sql.SQLTimeoutException: timeout}
 * </pre>
 */
public final class ResultMapping {
  public static final ResultMapping DEFAULT = new ResultMapping(null, null, null, null);

  private final ExtractorPath from;
  private final Map<String, Result> map;
  private final Result otherwise;
  private final Map<String, Result> thrown;

  @JsonCreator
  public ResultMapping(
      @JsonProperty("from") ExtractorPath from,
      @JsonProperty("map") Map<String, String> map,
      @JsonProperty("otherwise") String otherwise,
      @JsonProperty("thrown") Map<String, String> thrown) {
    this.from = from == null ? ExtractorPath.parse("return") : from;
    this.map = parseAll(map, "map");
    this.otherwise = otherwise == null ? Result.SUCCESS : parseResult(otherwise, "otherwise");
    this.thrown = parseAll(thrown, "thrown");
  }

  private static Map<String, Result> parseAll(Map<String, String> in, String field) {
    Map<String, Result> out = new HashMap<>();
    if (in != null) {
      for (Map.Entry<String, String> e : new LinkedHashMap<>(in).entrySet()) {
        out.put(e.getKey(), parseResult(e.getValue(), field + "." + e.getKey()));
      }
    }
    return out;
  }

  private static Result parseResult(String s, String field) {
    try {
      Result r = Result.parse(s);
      if (r == Result.NONE) {
        throw new IllegalArgumentException();
      }
      return r;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": unknown result '" + s + "' (expected success, conflict, rejected, timeout or error)");
    }
  }

  public ExtractorPath from() {
    return from;
  }

  /** Maps a value (already taken from the call) to a result. Allocation-free for enums, strings, booleans and null. */
  public Result ofValue(Object v) {
    if (map.isEmpty()) {
      return otherwise;
    }
    String spelling;
    if (v == null) {
      spelling = "null";
    } else if (v instanceof Enum) {
      spelling = ((Enum<?>) v).name();
    } else if (v instanceof String) {
      spelling = (String) v;
    } else if (v instanceof Boolean) {
      spelling = ((Boolean) v) ? "true" : "false";
    } else {
      spelling = v.toString();
    }
    Result r = map.get(spelling);
    return r == null ? otherwise : r;
  }

  /** Maps an exception to a result, by its class or the nearest mapped superclass. */
  public Result ofThrown(Throwable t) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      Result r = thrown.get(c.getName());
      if (r != null) {
        return r;
      }
    }
    return t.getClass().getName().contains("Timeout") ? Result.TIMEOUT : Result.ERROR;
  }
}
