package io.racetrace.analyzer.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
  private static final ObjectMapper YAML = strict(YAMLMapper.builder().build());
  private static final ObjectMapper JSON = strict(JsonMapper.builder().build());

  private CriteriaLoader() {}

  private static ObjectMapper strict(ObjectMapper mapper) {
    return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public static Criteria load(Path file) throws CriteriaException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CriteriaException(file + ": no such criteria file");
    } catch (IOException e) {
      throw new CriteriaException(file + ": cannot read: " + oneLine(e.getMessage()));
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".json");
    if (!json) {
      // The YAML parser reads UTF-8 only, and reports other bytes with its reader's exception text.
      // (JSON may also be UTF-16 or UTF-32 with a byte order mark; Jackson detects those itself.)
      int bad = firstNonUtf8(bytes);
      if (bad >= 0) {
        throw new CriteriaException(file + ":" + lineAt(bytes, bad) + ": not UTF-8 text (byte "
            + String.format(Locale.ROOT, "0x%02x", bytes[bad] & 0xff) + " at offset " + bad + "); save it as UTF-8");
      }
    }
    ObjectMapper mapper = json ? JSON : YAML;
    try (JsonParser p = mapper.createParser(bytes)) { // open while describe() asks it what it read
      Criteria c;
      try {
        c = mapper.readValue(p, Criteria.class);
      } catch (JsonProcessingException e) {
        throw new CriteriaException(describe(file, e, new String(bytes, StandardCharsets.UTF_8)));
      }
      if (c == null) {
        throw new CriteriaException(file + ": empty criteria file");
      }
      return c;
    } catch (IOException e) { // e.g. CharConversionException: bytes that are not text in the detected encoding
      throw new CriteriaException(file + ": not a valid criteria file: " + oneLine(e.getMessage()));
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
          .map(r -> r.getFieldName() != null ? printable(r.getFieldName()) : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      sb.append(path).append(": ");
    }
    String problem;
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (e instanceof UnrecognizedPropertyException u) {
      problem = "unknown field '" + printable(u.getPropertyName()) + "' (known: " + u.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
    } else if (root instanceof IllegalArgumentException && !(root instanceof NumberFormatException)) {
      problem = oneLine(root.getMessage()); // Criteria's and Limit's own checks
    } else if (e instanceof MismatchedInputException m && expected(m.getTargetType()) != null) {
      problem = mismatch(m);
    } else if (e instanceof StreamConstraintsException) {
      // "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints...`)"
      problem = oneLine(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
    } else if (root instanceof java.io.CharConversionException) {
      problem = "not valid text: " + oneLine(root.getMessage());
    } else {
      problem = plain(oneLine(e.getOriginalMessage()));
    }
    sb.append(problem.isBlank() ? "not a valid criteria file" : problem);
    return sb.toString();
  }

  private static final java.util.regex.Pattern YAML_EVENT =
      java.util.regex.Pattern.compile("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event\\(.*\\)>");
  /** Jackson's location, "[Source: REDACTED (...); line: 1, column: 1]", inside a message. */
  private static final java.util.regex.Pattern SOURCE =
      java.util.regex.Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");
  private static final java.util.regex.Pattern LIBRARY_CLASS =
      java.util.regex.Pattern.compile("\\b(?:org\\.yaml\\.snakeyaml|com\\.fasterxml\\.jackson)(?:\\.\\w+)*\\.(\\w+)");

  /**
   * A parser's message without the parser's class names: "Expected a field name (Scalar value in YAML), got
   * this instead: <org.yaml.snakeyaml.events.MappingStartEvent(...)>" becomes "expected a field name, got a
   * mapping".
   */
  static String plain(String m) {
    java.util.regex.Matcher ev = YAML_EVENT.matcher(m);
    StringBuilder sb = new StringBuilder();
    while (ev.find()) {
      String what = switch (ev.group(1)) {
        case "MappingStart" -> "a mapping";
        case "MappingEnd" -> "the end of a mapping";
        case "SequenceStart" -> "a list";
        case "SequenceEnd" -> "the end of a list";
        case "Alias" -> "an alias";
        case "Scalar" -> "a value";
        case "DocumentStart" -> "a new document";
        case "DocumentEnd", "StreamEnd" -> "the end of the document";
        default -> ev.group(1);
      };
      ev.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(what));
    }
    ev.appendTail(sb);
    String s = LIBRARY_CLASS.matcher(SOURCE.matcher(sb).replaceAll("line $1, column $2")).replaceAll("$1");
    if (s.startsWith("Expected a field name (Scalar value in YAML), got this instead: ")) {
      s = "expected a field name, got " + s.substring(s.indexOf(": ") + 2);
    }
    return s;
  }

  /** What a value of {@code type} looks like in a criteria file, or null for a type of no criteria field. */
  private static String expected(Class<?> type) {
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Integer.class || type == int.class) {
      return "a whole number";
    }
    if (type == Limit.class) {
      return "a mapping with 'max' or 'below', like {below: 150}";
    }
    if (type == Criteria.class) {
      return "a mapping of criteria, like p99LatencyMs: {below: 150}";
    }
    return null;
  }

  /** "expected a number, got "fast"" instead of Jackson's Java types and token names. */
  private static String mismatch(MismatchedInputException m) {
    String got = null;
    if (m instanceof InvalidFormatException f) {
      got = "\"" + printable(String.valueOf(f.getValue())) + "\"";
    } else if (m.getProcessor() instanceof JsonParser p) {
      JsonToken t = p.currentToken();
      if (t == null && m.getTargetType() == Criteria.class && m.getPath().isEmpty()) {
        return "empty criteria file";
      }
      got = t == null ? null : switch (t) {
        case START_ARRAY, END_ARRAY -> "a list";
        case START_OBJECT, END_OBJECT, FIELD_NAME -> "a mapping";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        case VALUE_EMBEDDED_OBJECT -> "binary data";
        default -> null;
      };
    }
    return "expected " + expected(m.getTargetType()) + (got == null ? "" : ", got " + got);
  }

  /** The first line of a library's message, with any other control character escaped. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    for (int i = 0; i < s.length(); i++) {
      if (isLineBreak(s.charAt(i))) {
        s = s.substring(0, i);
        break;
      }
    }
    return escape(s, s.length());
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  /** Text from the file, quoted in an error: control characters escaped, at most 80 characters. */
  static String printable(String s) {
    return s == null ? "" : escape(s, 80);
  }

  private static String escape(String s, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(s.length(), max);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c) || isLineBreak(c)) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return n < s.length() ? sb + "..." : sb.toString();
  }

  /** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
  static int firstNonUtf8(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1); // UTF-8 never decodes to more chars than bytes
    return d.decode(in, out, true).isError() ? in.position() : -1;
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
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
