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
      assertTrue(nested.remove("racetrace/bootstrap.jar"));
      // The libraries the isolated loader gets, pinned: a new transitive dependency must be chosen,
      // not slip in. Names keep their versions, so a user can tell what the agent carries.
      java.util.TreeSet<String> artifacts = new java.util.TreeSet<>();
      for (String n : nested) {
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("racetrace/inst/([a-z0-9.-]+?)-([0-9][A-Za-z0-9.-]*)\\.jar").matcher(n);
        assertTrue(v.matches(), "a nested jar named artifact-version.jar: " + n);
        artifacts.add(v.group(1));
      }
      assertEquals(new java.util.TreeSet<>(List.of("racetrace-agent-core", "racetrace-trace-format", "byte-buddy",
          "chronicle-queue", "chronicle-core", "chronicle-bytes", "chronicle-wire", "chronicle-threads", "compiler", "posix",
          "slf4j-api", "slf4j-nop", "jackson-core", "jackson-databind", "jackson-annotations", "jackson-dataformat-yaml",
          "snakeyaml")), artifacts);

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
