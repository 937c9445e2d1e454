package io.racetrace.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.racetrace.analyzer.model.AnalysisResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code report.json}: the {@link AnalysisResult} as JSON, fields in declaration order, documented
 * in {@code analyzer/REPORT_SCHEMA.md}. Also reads it back (the compare command does).
 */
public final class JsonReport {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  /** For other JSON documents of the analyzer (compare.json). */
  public static final ObjectMapper MAPPER_FOR_TOOLS = MAPPER;

  private JsonReport() {}

  public static void write(AnalysisResult r, Path file) throws IOException {
    try (java.io.Writer w = io.racetrace.analyzer.util.PrivateFiles.newWriter(file)) {
      MAPPER.writeValue(w, r);
    }
  }

  public static String toJson(AnalysisResult r) {
    try {
      return MAPPER.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static AnalysisResult read(Path file) throws IOException {
    return MAPPER.readValue(file.toFile(), AnalysisResult.class);
  }
}
