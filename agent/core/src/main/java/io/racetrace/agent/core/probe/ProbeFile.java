package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A parsed probe file: its format version, the probes, and the optional reproduction settings.
 * See the README section "Writing a probe file" for the format.
 */
public final class ProbeFile {
  public static final int FORMAT_VERSION = 1;

  private final List<ProbeSpec> probes;
  private final Reproduce reproduce;
  private String source = "<inline>";

  @JsonCreator
  public ProbeFile(
      @JsonProperty("version") FormatVersion version,
      @JsonProperty(value = "probes", required = true) List<ProbeSpec> probes,
      @JsonProperty("reproduce") Reproduce reproduce) {
    if (probes == null || probes.isEmpty()) {
      throw new IllegalArgumentException("probes must list at least one probe");
    }
    if (probes.stream().anyMatch(p -> p == null)) {
      throw new IllegalArgumentException("probes has an empty entry");
    }
    long names = probes.stream().map(ProbeSpec::name).distinct().count();
    if (names != probes.size()) {
      throw new IllegalArgumentException("probe names must be unique (two probes have the same name or the same role, class and method)");
    }
    this.probes = List.copyOf(probes);
    this.reproduce = reproduce;
  }

  public List<ProbeSpec> probes() {
    return probes;
  }

  /** Reproduction settings, or null when the file asks for none. */
  public Reproduce reproduce() {
    return reproduce;
  }

  /** Where the file came from, with a content hash: "name sha256:...". */
  public String source() {
    return source;
  }

  void source(String s) {
    this.source = s;
  }
}
