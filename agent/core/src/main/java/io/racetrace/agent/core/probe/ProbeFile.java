package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A parsed probe file: its format version, the probes (its own, then those of the packs it
 * includes), its entities, and the optional reproduction settings. See the README sections
 * "Writing a probe file" and "Probe packs" for the format.
 */
public final class ProbeFile {
  public static final int FORMAT_VERSION = 1;

  private final List<ProbeSpec> probes;
  private final Reproduce reproduce;
  private final List<String> packs;
  private final List<EntitySpec> entities;
  private String source = "<inline>";

  @JsonCreator
  public ProbeFile(
      @JsonProperty("version") FormatVersion version,
      @JsonProperty("include") List<PackRef> include,
      @JsonProperty("entities") List<EntitySpec> entities,
      @JsonProperty("probes") List<ProbeSpec> probes,
      @JsonProperty("reproduce") Reproduce reproduce) {
    List<ProbeSpec> own = probes == null ? List.of() : probes;
    List<PackRef> inc = include == null ? List.of() : include;
    if (own.isEmpty() && inc.isEmpty()) {
      throw new IllegalArgumentException("probes must list at least one probe (or include a pack)");
    }
    if (own.stream().anyMatch(p -> p == null)) {
      throw new IllegalArgumentException("probes has an empty entry");
    }
    if (inc.stream().anyMatch(p -> p == null)) {
      throw new IllegalArgumentException("include has an empty entry");
    }
    this.entities = entities == null ? List.of() : List.copyOf(entities);
    if (this.entities.stream().anyMatch(e -> e == null)) {
      throw new IllegalArgumentException("entities has an empty entry");
    }
    if (this.entities.stream().map(EntitySpec::className).distinct().count() != this.entities.size()) {
      throw new IllegalArgumentException("entities names a class twice");
    }
    List<ProbeSpec> all = new java.util.ArrayList<>(own);
    List<String> loaded = new java.util.ArrayList<>();
    for (PackRef ref : inc) {
      if (loaded.contains(ref.toString())) {
        throw new IllegalArgumentException("include names pack " + ref + " twice");
      }
      loaded.add(ref.toString());
      all.addAll(Packs.load(ref));
    }
    for (ProbeSpec p : all) {
      if (p.pack() != null && p.usesEntitySteps() && this.entities.isEmpty()) {
        throw new IllegalArgumentException("pack " + p.pack() + " reads entities: list the classes"
            + " it should capture, e.g. entities: [{class: com.example.Stock, key: sku, value: quantity}]");
      }
      p.entities(this.entities);
    }
    long names = all.stream().map(ProbeSpec::name).distinct().count();
    if (names != all.size()) {
      throw new IllegalArgumentException("probe names must be unique (two probes have the same name or the same role, class and method)");
    }
    this.probes = List.copyOf(all);
    this.packs = List.copyOf(loaded);
    this.reproduce = reproduce;
  }

  /** The file's own probes, then those of its packs, in {@code include} order. */
  public List<ProbeSpec> probes() {
    return probes;
  }

  /** Reproduction settings, or null when the file asks for none. */
  public Reproduce reproduce() {
    return reproduce;
  }

  /** The packs the file includes, as {@code name@version}. */
  public List<String> packs() {
    return packs;
  }

  /** The file's {@code entities:}. */
  public List<EntitySpec> entities() {
    return entities;
  }

  /** Where the file came from, with a content hash: "name sha256:...". */
  public String source() {
    return source;
  }

  void source(String s) {
    this.source = packs.isEmpty() ? s : s + " with packs " + String.join(", ", packs);
  }
}
