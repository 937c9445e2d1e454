package io.racetrace.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built agent jar leaks nothing into the application's class path: at top level it holds only
 * the premain package; the core and its libraries are nested jars for the isolated loader.
 */
class JarContentIT {
  @Test
  void topLevelClasses_areOnlyThePremainPackage() throws Exception {
    List<String> foreign = new ArrayList<>();
    List<String> nested = new ArrayList<>();
    try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class") && !name.matches("io/racetrace/agent/[^/]+\\.class")) {
          foreign.add(name);
        } else if (!name.endsWith("/") && !name.endsWith(".class") && !name.startsWith("META-INF/")) {
          nested.add(name);
        }
      }
      assertEquals(List.of(), foreign, "classes outside io/racetrace/agent/ at the jar's top level");
      for (String n : nested) {
        assertTrue(n.equals("racetrace/bootstrap.jar") || n.matches("racetrace/inst/[a-z0-9.-]+\\.jar"), n);
      }
      assertTrue(nested.contains("racetrace/bootstrap.jar"));
      assertTrue(nested.contains("racetrace/inst/racetrace-agent-core.jar"));
      assertTrue(nested.contains("racetrace/inst/byte-buddy.jar"));
      assertTrue(nested.contains("racetrace/inst/chronicle-queue.jar"));

      Attributes m = jar.getManifest().getMainAttributes();
      assertEquals("io.racetrace.agent.RacetracePremain", m.getValue("Premain-Class"));
      assertEquals("io.racetrace.agent.RacetracePremain", m.getValue("Agent-Class"));
      assertEquals("true", m.getValue("Can-Retransform-Classes"));
    }
  }

  @Test
  void bootstrapJar_holdsOnlyTheBridge() throws Exception {
    try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile("bootstrap", ".jar");
      try (var in = jar.getInputStream(jar.getJarEntry("racetrace/bootstrap.jar"))) {
        java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      try (JarFile boot = new JarFile(tmp.toFile())) {
        List<String> classes = boot.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")).sorted().toList();
        assertEquals(List.of(
            "io/racetrace/agent/bootstrap/Dispatcher.class",
            "io/racetrace/agent/bootstrap/ProbeSink.class",
            "io/racetrace/agent/bootstrap/ThreadContext.class",
            "io/racetrace/agent/bootstrap/package-info.class"), classes);
      } finally {
        java.nio.file.Files.delete(tmp);
      }
    }
  }
}
