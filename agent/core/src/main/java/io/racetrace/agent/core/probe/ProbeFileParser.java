package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a probe file (YAML, or JSON when the name ends in {@code .json}) into a validated
 * {@link ProbeFile}. Every problem becomes a {@link ProbeFileException} whose one-line message
 * names the file, the line and the field, e.g.
 * {@code probes.yaml:12: probes[1].version: bad extractor path 'retrun.version()': ...}.
 */
public final class ProbeFileParser {
  private ProbeFileParser() {}

  public static ProbeFile parse(Path file) throws ProbeFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ProbeFileException(file + ": probe file not found");
    } catch (IOException e) {
      throw new ProbeFileException(file + ": cannot read probe file: " + e.getMessage());
    }
    ProbeFile pf = parse(file.toString(), bytes, file.toString().endsWith(".json"));
    pf.source(file.getFileName() + " sha256:" + sha256(bytes).substring(0, 16));
    return pf;
  }

  public static ProbeFile parse(String name, byte[] content, boolean json) throws ProbeFileException {
    ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    mapper.registerModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
        return desc.getBeanClass() == ProbeSpec.class ? new CheckedProbeSpec(d) : d;
      }
    }));
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    try {
      ProbeFile pf = mapper.readValue(content, ProbeFile.class);
      if (pf == null) {
        throw new ProbeFileException(name + ": the probe file is empty");
      }
      return pf;
    } catch (JsonProcessingException e) {
      throw new ProbeFileException(oneLine(describe(name, e)));
    } catch (IOException e) {
      throw new ProbeFileException(name + ": cannot read probe file: " + e.getMessage());
    }
  }

  /** Rejects a probe whose fields do not fit its role, naming the line where the probe starts. */
  private static final class CheckedProbeSpec extends DelegatingDeserializer {
    private static final long serialVersionUID = 1L;

    CheckedProbeSpec(JsonDeserializer<?> d) {
      super(d);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> d) {
      return new CheckedProbeSpec(d);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonLocation start = p.currentTokenLocation();
      ProbeSpec spec = (ProbeSpec) super.deserialize(p, ctxt);
      if (spec.invalid() != null) {
        throw new JsonMappingException(p, spec.invalid(), start);
      }
      return spec;
    }
  }

  private static String describe(String name, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = name + (loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "");
    if (e instanceof JsonParseException) {
      return where + ": syntax error: " + firstLine(e.getOriginalMessage());
    }
    JsonMappingException m = (JsonMappingException) e;
    String field = fieldPath(m);
    String problem;
    if (m instanceof UnrecognizedPropertyException) {
      UnrecognizedPropertyException u = (UnrecognizedPropertyException) m;
      problem = "unknown field '" + u.getPropertyName() + "'";
    } else if (rootCause(m) instanceof IllegalArgumentException) {
      problem = rootCause(m).getMessage();
    } else if (m instanceof MismatchedInputException && m.getOriginalMessage().startsWith("Missing required creator property")) {
      String missing = between(m.getOriginalMessage(), "'", "'");
      problem = "missing required field '" + missing + "'";
      field = field.endsWith("." + missing) ? field.substring(0, field.length() - missing.length() - 1) : field;
    } else if (rootCause(m).getClass().getName().startsWith("org.yaml.snakeyaml.")) {
      problem = "syntax error: " + firstLine(rootCause(m).getMessage());
    } else {
      problem = firstLine(m.getOriginalMessage());
    }
    return where + ": " + (field.isEmpty() ? "" : field + ": ") + problem;
  }

  /** Escapes line breaks and control characters a quoted value may carry: errors are one line. */
  static String oneLine(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String fieldPath(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.toString();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String between(String s, String open, String close) {
    int a = s.indexOf(open);
    int b = a < 0 ? -1 : s.indexOf(close, a + 1);
    return a < 0 || b < 0 ? s : s.substring(a + 1, b);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
