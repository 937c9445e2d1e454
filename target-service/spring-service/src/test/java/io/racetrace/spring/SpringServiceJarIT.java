package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Forks the executable jar as a user would run it and loads both endpoints. On a throwaway
 * PostgreSQL cluster (given with {@code --jdbc-url}) where the local PostgreSQL binaries exist, the
 * rows are then read back with plain SQL; elsewhere on the jar's default embedded H2.
 */
class SpringServiceJarIT {
  private static final Pattern READY = Pattern.compile("ready: port=(\\d+)");

  @Test
  void jar_racyOversells_safeHolds_truthMatchesTheRows() throws Exception {
    String noPostgres = PostgresCluster.unavailableReason();
    if (noPostgres != null) {
      System.out.println("SpringServiceJarIT: on embedded H2, no PostgreSQL: " + noPostgres);
      runAgainst(null);
      return;
    }
    long t0 = System.nanoTime();
    try (PostgresCluster pg = PostgresCluster.start()) {
      System.out.printf("SpringServiceJarIT: PostgreSQL cluster up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      runAgainst(pg);
    }
  }

  private static void runAgainst(PostgresCluster pg) throws Exception {
    Path jar = Path.of(System.getProperty("racetrace.springService.jar", "../target/racetrace-spring-service.jar"));
    assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
        "--port=0", "--reservations.read-latency-ms=2", "--logging.level.root=WARN"));
    if (pg != null) {
      cmd.addAll(List.of("--jdbc-url=" + pg.jdbcUrl, "--jdbc-user=racetrace"));
    }
    Path out = Files.createTempFile("racetrace-spring-jar", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      TestHttp http = new TestHttp(awaitReady(p, out));
      System.out.printf("SpringServiceJarIT: jar ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

      http.restock("jar-racy", 20);
      ReservationLoad.Result racy = ReservationLoad.run(http, "/reservations/racy", "jar-racy", 150, 8, 7);
      JsonNode racyTruth = TruthChecks.consistentWith(http, "jar-racy", 20, racy);
      http.restock("jar-safe", 20);
      ReservationLoad.Result safe = ReservationLoad.run(http, "/reservations/safe", "jar-safe", 150, 8, 7);
      JsonNode safeTruth = TruthChecks.consistentWith(http, "jar-safe", 20, safe);

      System.out.println("jar on " + (pg == null ? "H2" : "PostgreSQL") + ": racy " + racyTruth + "; safe " + safeTruth);
      assertTrue(racyTruth.path("mismatchUnits").asLong() > 0, racyTruth.toString());
      assertEquals(0, safeTruth.path("mismatchUnits").asLong(), safeTruth.toString());
      assertEquals(0, safeTruth.path("oversoldUnits").asLong(), safeTruth.toString());
      if (pg != null) {
        assertEquals(racyTruth.path("confirmedUnits").asLong(), confirmedUnitsInTable(pg, "jar-racy"));
        assertEquals(safeTruth.path("confirmedUnits").asLong(), confirmedUnitsInTable(pg, "jar-safe"));
      }
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      Files.deleteIfExists(out);
    }
  }

  private static int awaitReady(Process p, Path out) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a hang guard
    while (System.nanoTime() < deadline) {
      Matcher m = READY.matcher(Files.readString(out));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!p.isAlive()) {
        throw new AssertionError("the jar exited " + p.exitValue() + ":\n" + Files.readString(out));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no ready line in 180 s:\n" + Files.readString(out));
  }

  private static long confirmedUnitsInTable(PostgresCluster pg, String sku) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl, "racetrace", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select coalesce(sum(units), 0) from reservations"
            + " where status = 'CONFIRMED' and sku = '" + sku + "'")) {
      r.next();
      return r.getLong(1);
    }
  }
}
