package io.racetrace.analyzer.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads a criteria file, YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}). Every problem
 * becomes one line naming the file, the line and the field: {@code crit.yaml:4: p99LatencyMs: set
 * exactly one of 'max' and 'below'}. Unknown fields are errors, so a typo cannot silently leave a
 * default in force.
 */
public final class CriteriaLoader {
  private CriteriaLoader() {}

  public static Criteria load(Path file) throws CriteriaException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CriteriaException(file + ": no such criteria file");
    } catch (IOException e) {
      throw new CriteriaException(file + ": cannot read: " + e.getMessage());
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".json") ? JsonMapper.builder().build() : YAMLMapper.builder().build();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    try {
      Criteria c = mapper.readValue(bytes, Criteria.class);
      if (c == null) {
        throw new CriteriaException(file + ": empty criteria file");
      }
      return c;
    } catch (JsonProcessingException e) {
      throw new CriteriaException(describe(file, e, new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new CriteriaException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** The default criteria shipped as {@code criteria-default.yaml}. */
  public static Criteria defaults() {
    try (InputStream in = CriteriaLoader.class.getResourceAsStream("/criteria-default.yaml")) {
      return YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
          .readValue(in, Criteria.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String describe(Path file, JsonProcessingException e, String text) {
    JsonLocation loc = e.getLocation();
    int line = loc != null ? loc.getLineNr() : -1;
    if (e instanceof UnrecognizedPropertyException u) {
      // Jackson reports where it stopped (records buffer their properties), not where the name is.
      int l = lineOfKey(text, u.getPropertyName());
      line = l > 0 ? l : line;
    }
    StringBuilder sb = new StringBuilder().append(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String path = m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      sb.append(path).append(": ");
    }
    String problem;
    if (e instanceof UnrecognizedPropertyException u) {
      problem = "unknown field '" + u.getPropertyName() + "' (known: " + u.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
    } else {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      problem = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
    }
    int nl = problem == null ? -1 : problem.indexOf('\n');
    sb.append(nl < 0 ? problem : problem.substring(0, nl));
    return sb.toString();
  }

  /** 1-based line where {@code key} is first used as a YAML or JSON key, or -1. */
  static int lineOfKey(String text, String key) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(
        "^\\s*(?:[-{,]\\s*)?\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:", java.util.regex.Pattern.MULTILINE);
    java.util.regex.Matcher m = p.matcher(text);
    if (!m.find()) {
      java.util.regex.Matcher any = java.util.regex.Pattern.compile("[{,\\s]\"?" + java.util.regex.Pattern.quote(key)
          + "\"?\\s*:").matcher(" " + text);
      if (!any.find()) {
        return -1;
      }
      return 1 + (int) text.substring(0, Math.max(0, any.start() - 1)).chars().filter(c -> c == '\n').count();
    }
    return 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
  }

  /** A criteria file that cannot be used; the message is one line fit for the user. */
  public static final class CriteriaException extends Exception {
    private static final long serialVersionUID = 1L;

    public CriteriaException(String message) {
      super(message);
    }
  }
}
