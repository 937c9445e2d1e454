package io.racetrace.agent.core.jpms;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parent pom keeps Chronicle's opens twice: as the list the manifests and the agent use, and
 * as the command-line flags of the JVMs the tests run in ({@code chronicle.jvm.opens}). This JVM
 * was started with those flags, so every package of the list must be open (or exported) to it.
 */
class ChronicleAccessTest {
  @Test
  void everyPackageOfTheList_isGrantedByTheTestFlags() {
    Module me = ChronicleAccessTest.class.getModule();
    check(ModuleOpener.packages("opens"), (m, p) -> m.isOpen(p, me), "--add-opens");
    check(ModuleOpener.packages("exports"), (m, p) -> m.isExported(p, me), "--add-exports");
  }

  private static void check(Map<String, List<String>> byModule, java.util.function.BiPredicate<Module, String> granted, String flag) {
    assertFalse(byModule.isEmpty());
    for (var e : byModule.entrySet()) {
      Module m = ModuleLayer.boot().findModule(e.getKey()).orElse(null);
      if (m == null) {
        continue; // a JDK without that module
      }
      for (String p : e.getValue()) {
        assertTrue(granted.test(m, p), e.getKey() + "/" + p + " is in the parent pom's list but not in chronicle.jvm.opens (" + flag + ")");
      }
    }
  }
}
