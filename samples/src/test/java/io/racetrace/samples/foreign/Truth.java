package io.racetrace.samples.foreign;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a foreign service's own bookkeeping says happened, printed by its main as one line
 * {@code truth {json}} after its clients finished; the test reads it back. Runs in the forked app,
 * which has no library on its class path, hence the hand-written JSON (numbers and strings only).
 */
public final class Truth {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public Truth put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public void print() {
    StringBuilder sb = new StringBuilder("truth {");
    String sep = "";
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      sb.append(sep).append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      sb.append(v instanceof Number || v instanceof Boolean ? v.toString() : "\"" + v + "\"");
      sep = ",";
    }
    System.out.println(sb.append('}'));
    System.out.flush();
  }
}
