package io.racetrace.agent.core.jpms;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Grants the agent's class loader the JDK-internal access Chronicle needs on Java 17+. A user can
 * pass {@code --add-opens} to their own JVM, but an agent attached to a running JVM cannot change
 * its command line; {@link Instrumentation#redefineModule} can, for one module at a time. Opens go
 * to the agent's unnamed module only, never to the application.
 *
 * <p>The packages come from {@code racetrace/chronicle-access.properties}, filtered at build time
 * from the parent pom's list, the same one the jars' manifests and the tests' JVM flags use.
 */
public final class ModuleOpener {
  static final String RESOURCE = "/racetrace/chronicle-access.properties";

  private ModuleOpener() {}

  public static void open(Instrumentation inst, Module agent) {
    Map<String, List<String>> opens = packages("opens");
    Map<String, List<String>> exports = packages("exports");
    Set<String> modules = new java.util.LinkedHashSet<>(opens.keySet());
    modules.addAll(exports.keySet());
    for (String module : modules) {
      redefine(inst, module, exports.getOrDefault(module, List.of()), opens.getOrDefault(module, List.of()), agent);
    }
  }

  /** The resource's {@code module/package} entries of {@code kind} ({@code opens}, {@code exports}), by module. */
  public static Map<String, List<String>> packages(String kind) {
    Properties p = new Properties();
    try (InputStream in = ModuleOpener.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the agent jar lacks " + RESOURCE);
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + ": " + e, e);
    }
    String list = p.getProperty(kind, "").trim();
    if (list.isEmpty() || list.contains("${")) {
      throw new IllegalStateException(RESOURCE + " has no " + kind + " list (was it filtered at build time?)");
    }
    Map<String, List<String>> byModule = new LinkedHashMap<>();
    for (String entry : list.split("\\s+")) {
      int slash = entry.indexOf('/');
      byModule.computeIfAbsent(entry.substring(0, slash), k -> new ArrayList<>()).add(entry.substring(slash + 1));
    }
    return byModule;
  }

  private static void redefine(Instrumentation inst, String moduleName, List<String> exports, List<String> opens, Module to) {
    Optional<Module> m = ModuleLayer.boot().findModule(moduleName);
    if (m.isEmpty()) {
      return; // e.g. a JRE without jdk.compiler: Chronicle falls back to not compiling code
    }
    Map<String, Set<Module>> ex = new HashMap<>();
    for (String p : exports) {
      if (m.get().getPackages().contains(p)) {
        ex.put(p, Set.of(to));
      }
    }
    Map<String, Set<Module>> op = new HashMap<>();
    for (String p : opens) {
      if (m.get().getPackages().contains(p)) {
        op.put(p, Set.of(to));
      }
    }
    inst.redefineModule(m.get(), Set.of(), ex, op, Set.of(), Map.of());
  }
}
