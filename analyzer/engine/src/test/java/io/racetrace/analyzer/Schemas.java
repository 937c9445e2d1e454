package io.racetrace.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The checked-in JSON Schemas of report.json and compare.json (analyzer/*.schema.json), with a real validator. */
final class Schemas {
  static final Path DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private Schemas() {}

  static Schema report() throws IOException {
    return load("report.schema.json");
  }

  static Schema compare() throws IOException {
    return load("compare.schema.json");
  }

  static Schema release() throws IOException {
    return load("release.schema.json");
  }

  private static Schema load(String name) throws IOException {
    try (InputStream in = Files.newInputStream(DIR.resolve(name))) {
      return REGISTRY.getSchema(in);
    }
  }

  /** "where: what" for each violation; empty when the document is valid. */
  static List<String> errors(Schema s, JsonNode doc) {
    return s.validate(doc).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
  }

  static List<String> errors(Schema s, Path file) throws IOException {
    return errors(s, JSON.readTree(file.toFile()));
  }
}
