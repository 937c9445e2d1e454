package io.racetrace.agent.core.jpms;

import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Grants the agent's class loader the JDK-internal access Chronicle needs on Java 17+. A user can
 * pass {@code --add-opens} to their own JVM, but an agent attached to a running JVM cannot change
 * its command line; {@link Instrumentation#redefineModule} can, for one module at a time. Opens go
 * to the agent's unnamed module only, never to the application.
 */
public final class ModuleOpener {
  private ModuleOpener() {}

  public static void open(Instrumentation inst, Module agent) {
    redefine(inst, "java.base",
        new String[] {"jdk.internal.ref", "sun.nio.ch", "jdk.internal.misc"},
        new String[] {"java.lang", "java.lang.reflect", "java.io", "java.util", "java.nio", "sun.nio.ch"},
        agent);
    redefine(inst, "jdk.compiler",
        new String[] {"com.sun.tools.javac.file"},
        new String[] {"com.sun.tools.javac"},
        agent);
  }

  private static void redefine(Instrumentation inst, String moduleName, String[] exports, String[] opens, Module to) {
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
