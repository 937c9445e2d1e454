package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.racetrace.agent.core.extract.ExtractorPath;
import io.racetrace.trace.Result;
import java.util.HashMap;
import java.util.Map;

/**
 * How a request's outcome becomes a {@link Result}: a value taken from the call ({@code from},
 * by default the return value) looked up in {@code map} by its enum name, string, boolean or
 * number spelling ({@code null} for a null), then, for a number, by its class of hundreds
 * ({@code 2xx}, {@code 4xx}: HTTP statuses); unmapped values give {@code otherwise}. An exception
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
  /** The map's keys that spell a primitive (true, false, numbers), for primitive results without boxing. */
  private final long[] bitKeys;
  private final Result[] bitResults;
  /** {@code from}, {@code map} or {@code otherwise} was given: more than an exception mapping. */
  private final boolean mapsValues;
  /** Keys {@code 1xx} to {@code 9xx}: a class of three-digit numbers (HTTP statuses), after exact keys. */
  private final Result[] hundreds = new Result[10];

  @JsonCreator
  public ResultMapping(
      @JsonProperty("from") ExtractorPath from,
      @JsonProperty("map") Map<String, ResultName> map,
      @JsonProperty("otherwise") ResultName otherwise,
      @JsonProperty("thrown") Map<String, ResultName> thrown) {
    this.mapsValues = from != null || (map != null && !map.isEmpty()) || otherwise != null;
    this.from = from == null ? ExtractorPath.parse("return") : from;
    this.map = copy(map);
    this.otherwise = otherwise == null ? Result.SUCCESS : otherwise.result();
    this.thrown = copy(thrown);
    java.util.List<Long> keys = new java.util.ArrayList<>();
    java.util.List<Result> vals = new java.util.ArrayList<>();
    this.map.forEach((k, v) -> {
      if (k.matches("[1-9]xx")) {
        hundreds[k.charAt(0) - '0'] = v;
        return;
      }
      Long bits = k.equals("true") ? Long.valueOf(1) : k.equals("false") ? Long.valueOf(0) : parseLong(k);
      if (bits != null) {
        keys.add(bits);
        vals.add(v);
      }
    });
    this.bitKeys = keys.stream().mapToLong(Long::longValue).toArray();
    this.bitResults = vals.toArray(new Result[0]);
  }

  private static Long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Maps a primitive result (boolean as 0/1, numbers) to a result, without boxing. */
  public Result ofBits(long v) {
    for (int i = 0; i < bitKeys.length; i++) {
      if (bitKeys[i] == v) {
        return bitResults[i];
      }
    }
    return byHundreds(v);
  }

  private Result byHundreds(long v) {
    Result r = v >= 100 && v <= 999 ? hundreds[(int) (v / 100)] : null;
    return r == null ? otherwise : r;
  }

  private static Map<String, Result> copy(Map<String, ResultName> in) {
    Map<String, Result> out = new HashMap<>();
    if (in != null) {
      in.forEach((k, v) -> out.put(k, v.result()));
    }
    return out;
  }

  /** Whether the mapping says more than how exceptions map (a write's outcome comes from {@code success}). */
  public boolean mapsValues() {
    return mapsValues;
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
    if (r == null && (v instanceof Integer || v instanceof Long || v instanceof Short)) {
      return byHundreds(((Number) v).longValue()); // 2xx, 4xx... after exact keys
    }
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
