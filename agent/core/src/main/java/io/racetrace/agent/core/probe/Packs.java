package io.racetrace.agent.core.probe;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in probe packs a probe file names in {@code include:}: versioned probe sets for the
 * frameworks users run, so a file names its entities and its own code, not a framework's
 * internals. Each pack is a probe file in the agent ({@code packs/NAME/VERSION.yaml}); its probes
 * are named {@code NAME:probe} and read the file's {@code entities:}. {@code include: [hibernate]}
 * takes the latest version, {@code hibernate@1} that one: a capture says which it used.
 *
 * <p>A pack names what it was tested against in its file header; a new framework version that
 * moves a method gets a new pack version, and old probe files keep theirs.
 */
public final class Packs {
  /** Every pack and its versions, oldest first. */
  static final Map<String, List<Integer>> KNOWN = new TreeMap<>(Map.of(
      "jdbc", List.of(1),
      "jpa", List.of(1),
      "hibernate", List.of(1),
      "servlet", List.of(1),
      "servlet-javax", List.of(1)));

  private Packs() {}

  /** The pack's probes, named {@code NAME:probe}. */
  static List<ProbeSpec> load(PackRef ref) {
    String name = ref.name();
    int v = ref.version();
    String resource = "/io/racetrace/agent/core/packs/" + name + "/" + v + ".yaml";
    byte[] bytes;
    try (InputStream in = Packs.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("pack resource missing from the agent: " + resource);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read pack " + resource, e);
    }
    ProbeFile pf;
    try {
      pf = ProbeFileParser.parse("pack " + name + "@" + v, bytes, false);
    } catch (ProbeFileException e) {
      throw new IllegalStateException("the agent's pack is broken: " + e.getMessage(), e);
    }
    List<ProbeSpec> out = new ArrayList<>();
    for (ProbeSpec p : pf.probes()) {
      out.add(p.renamed(name + ":" + p.name(), name + "@" + v));
    }
    return out;
  }
}
