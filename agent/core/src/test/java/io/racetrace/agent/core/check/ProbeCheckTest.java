package io.racetrace.agent.core.check;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.probe.ProbeFileParser;
import io.racetrace.agent.core.probe.ProbeSpec;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code probes check} on the shop fixture's classes: what matches, and the candidates for what does not. */
class ProbeCheckTest {
  static final Path CLASSES = Path.of("target/test-classes");
  static final String SHOP = "com.example.shop.";

  @TempDir Path tmp;

  static List<ProbeSpec> probes(String... lines) throws Exception {
    String yaml = "probes:\n" + String.join("\n", lines) + "\n";
    return ProbeFileParser.parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8), false).probes();
  }

  static final String[] PROBES = {
      "  - {role: read, class: " + SHOP + "StockRepository, method: findQuantityBySku, key: arg0, value: return}",
      "  - {role: write, class: " + SHOP + "ReservationDesk, method: resreve, key: arg0, value: arg1}",
      "  - {role: write, class: " + SHOP + "ReservationDesk, method: reserve, params: [String, int], key: arg0, value: arg1}",
      "  - {name: by-long, role: write, class: " + SHOP + "ReservationDesk, method: reserve, params: [long], key: arg0, value: arg0}",
      "  - {role: write, class: " + SHOP + "ReservationDesk, method: restock, key: arg0, value: arg1}",
      "  - {role: read, class: com.acme.shop.JdbcStockRepository, method: findQuantityBySku, key: arg0, value: return}",
      "  - {name: all-repos, role: read, class: " + SHOP + "StockRepository, method: findQuantityBySku, subtypes: true, key: arg0, value: return}",
  };

  @Test
  void matchesAndCandidates_fromADirectoryOfClasses() throws Exception {
    try (ClassPathIndex index = new ClassPathIndex(List.of(CLASSES))) {
      assertShop(new ProbeCheck(index).check(probes(PROBES)));
    }
  }

  @Test
  void aFatJar_isReadWithItsNestedLibraries() throws Exception {
    Path lib = tmp.resolve("shop-lib.jar");
    jar(lib, "", CLASSES, p -> p.toString().replace('\\', '/').contains("com/example/shop/") && !p.toString().contains("ReservationDesk"));
    Path app = tmp.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app))) {
      add(out, CLASSES, "BOOT-INF/classes/", p -> p.toString().contains("ReservationDesk"));
      out.putNextEntry(new JarEntry("BOOT-INF/lib/shop-lib.jar"));
      out.write(Files.readAllBytes(lib));
      out.closeEntry();
    }
    // Other checks (another test JVM, a user's) may extract into the same temporary directory at
    // the same time: this index's extraction is the one that appeared while it was open.
    List<Path> before = extractions();
    List<Path> extracted;
    try (ClassPathIndex index = new ClassPathIndex(List.of(app))) {
      assertShop(new ProbeCheck(index).check(probes(PROBES)));
      assertTrue(index.classNames().contains(SHOP + "ReservationDesk"), "from BOOT-INF/classes");
      assertTrue(index.classNames().contains(SHOP + "StockRepository"), "from BOOT-INF/lib");
      extracted = extractions().stream().filter(p -> !before.contains(p)).toList();
    }
    assertFalse(extracted.isEmpty(), "the nested libraries were extracted");
    assertTrue(extracted.stream().noneMatch(Files::exists), "the extracted libraries are deleted on close: " + extracted);
  }

  /** An amount that cannot be a number in a method the probe matches is named, as the agent names it when weaving. */
  @Test
  void anAmountThatIsNoNumber_inAMatchedMethod_isAProblem() throws Exception {
    try (ClassPathIndex index = new ClassPathIndex(List.of(CLASSES))) {
      List<ProbeCheck.Result> r = new ProbeCheck(index).check(probes(
          "  - {role: write, class: " + SHOP + "ReservationDesk, method: reserve, params: [String, int], key: arg0, amount: arg1}",
          "  - {name: string-amount, role: write, class: " + SHOP + "ReservationDesk, method: reserve, key: arg0, amount: arg0}"));
      assertEquals(List.of(), r.get(0).problems(), "an int is a number of units");
      assertEquals(2, r.get(1).methods().size());
      assertEquals(List.of("amount: arg0 of " + SHOP + "ReservationDesk#reserve(String, int) is a java.lang.String, not a number",
          "amount: arg0 of " + SHOP + "ReservationDesk#reserve(String) is a java.lang.String, not a number"), r.get(1).problems());
    }
  }

  /**
   * Transaction boundaries against a real driver's jar: listed like any probe's methods, on the
   * driver's connection class or on {@code java.sql.Connection} with {@code subtypes: true} (a JDK
   * interface, not on the class path, whose implementations are); {@code params: []} keeps a
   * rollback probe off {@code rollback(Savepoint)}, which ends no transaction.
   */
  @Test
  void commitAndRollbackProbes_onADriversJar_areListedLikeOtherRoles() throws Exception {
    Path h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (ClassPathIndex index = new ClassPathIndex(List.of(h2))) {
      List<ProbeCheck.Result> r = new ProbeCheck(index).check(probes(
          "  - {role: commit, class: org.h2.jdbc.JdbcConnection, method: commit}",
          "  - {role: rollback, class: org.h2.jdbc.JdbcConnection, method: rollback, params: []}",
          "  - {name: both-rollbacks, role: rollback, class: org.h2.jdbc.JdbcConnection, method: rollback}",
          "  - {name: interface, role: commit, class: java.sql.Connection, subtypes: true, method: commit}",
          "  - {role: commit, class: org.h2.jdbc.JdbcConnection, method: comit}"));
      assertEquals(List.of("org.h2.jdbc.JdbcConnection#commit()"), r.get(0).methods());
      assertEquals(List.of("org.h2.jdbc.JdbcConnection#rollback()"), r.get(1).methods());
      assertEquals(List.of("org.h2.jdbc.JdbcConnection#rollback()", "org.h2.jdbc.JdbcConnection#rollback(Savepoint)"),
          r.get(2).methods().stream().sorted().toList());
      assertTrue(r.get(3).methods().contains("org.h2.jdbc.JdbcConnection#commit()"), r.get(3).toString());
      assertFalse(r.get(4).matched());
      assertTrue(r.get(4).candidates().contains("method org.h2.jdbc.JdbcConnection#commit()"), r.get(4).toString());
    }
  }

  private static List<Path> extractions() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("racetrace-probes-check-")).toList();
    }
  }

  private static void assertShop(List<ProbeCheck.Result> r) {
    assertEquals(7, r.size());
    assertEquals(List.of(SHOP + "JdbcStockRepository#findQuantityBySku(String)"), r.get(6).methods(), "subtypes: the implementations");
    ProbeCheck.Result repo = r.get(0);
    assertFalse(repo.matched());
    assertEquals(List.of(SHOP + "StockRepository#findQuantityBySku(String) is abstract: it has no body to weave",
        SHOP + "StockRepository is an interface: add 'subtypes: true' to weave its implementations, or name the class"
            + " that implements findQuantityBySku()"), repo.reasons());
    assertEquals(List.of("method " + SHOP + "JdbcStockRepository#findQuantityBySku"), repo.candidates());

    ProbeCheck.Result typo = r.get(1);
    assertFalse(typo.matched());
    assertEquals(List.of(SHOP + "ReservationDesk declares no method resreve"), typo.reasons());
    assertEquals(List.of("method " + SHOP + "ReservationDesk#reserve(String, int)", "method " + SHOP + "ReservationDesk#reserve(String)"),
        typo.candidates());

    assertEquals(List.of(SHOP + "ReservationDesk#reserve(String, int)"), r.get(2).methods());

    ProbeCheck.Result overload = r.get(3);
    assertFalse(overload.matched());
    assertEquals(List.of(SHOP + "ReservationDesk#reserve(String, int) (not selected by params [long])",
        SHOP + "ReservationDesk#reserve(String) (not selected by params [long])"), overload.candidates());

    ProbeCheck.Result inherited = r.get(4);
    assertEquals(List.of("method " + SHOP + "BaseDesk#restock (declared by the superclass: name it)"), inherited.candidates());

    ProbeCheck.Result moved = r.get(5);
    assertEquals(List.of("no class com.acme.shop.JdbcStockRepository on the class path"), moved.reasons());
    assertEquals(List.of("class " + SHOP + "JdbcStockRepository"), moved.candidates());
  }

  private static void jar(Path jar, String prefix, Path root, java.util.function.Predicate<Path> which) throws Exception {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      add(out, root, prefix, which);
    }
  }

  private static void add(JarOutputStream out, Path root, String prefix, java.util.function.Predicate<Path> which) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).filter(which)::iterator) {
        out.putNextEntry(new JarEntry(prefix + root.relativize(f).toString().replace('\\', '/')));
        try (OutputStream ignored = null) {
          out.write(Files.readAllBytes(f));
        }
        out.closeEntry();
      }
    }
  }
}
