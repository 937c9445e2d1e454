package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An entity of the probe file's {@code entities:} list: a persistent class the packs (and the
 * entity steps {@code @key}, {@code @value} of any probe) read. Its key is the field {@code key}
 * names, else the one annotated {@code @Id}; its version the field annotated {@code @Version};
 * its value (the stock an invariant is kept in) the field {@code value} names, if any.
 */
public record EntitySpec(String className, String key, String value) {
  @JsonCreator
  public EntitySpec(
      @JsonProperty(value = "class", required = true) String className,
      @JsonProperty("key") String key,
      @JsonProperty("value") String value) {
    this.className = javaName(className, "class", true);
    this.key = key == null ? null : javaName(key, "key", false);
    this.value = value == null ? null : javaName(value, "value", false);
  }

  private static String javaName(String s, String field, boolean qualified) {
    String pattern = qualified ? "[\\p{L}_$][\\p{L}\\p{N}_$.]*" : "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    if (s == null || !s.matches(pattern)) {
      throw new IllegalArgumentException(field + " '" + s + "' is not a Java " + (qualified ? "class" : "field") + " name");
    }
    return s;
  }
}
