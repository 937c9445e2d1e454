package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;

/** One entry of a probe file's {@code include:}: a known pack and version ({@code hibernate}, {@code hibernate@1}). */
public record PackRef(String name, int version) {
  /** Parses and checks an entry, so a misspelt pack is reported at its own line. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static PackRef of(String ref) {
    if (ref == null || ref.isBlank()) {
      throw new IllegalArgumentException("an empty pack name");
    }
    String r = ref.trim();
    int at = r.indexOf('@');
    String name = at < 0 ? r : r.substring(0, at);
    java.util.List<Integer> versions = Packs.KNOWN.get(name);
    if (versions == null) {
      throw new IllegalArgumentException("unknown pack '" + name + "' (packs: " + String.join(", ", Packs.KNOWN.keySet()) + ")");
    }
    if (at < 0) {
      return new PackRef(name, versions.get(versions.size() - 1));
    }
    int v;
    try {
      v = Integer.parseInt(r.substring(at + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + r + "' is not a pack (NAME or NAME@VERSION, e.g. hibernate@1)");
    }
    if (!versions.contains(v)) {
      throw new IllegalArgumentException("pack " + name + " has no version " + v + " (versions: " + versions + ")");
    }
    return new PackRef(name, v);
  }

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
