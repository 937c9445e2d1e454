package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.racetrace.target.fault.FaultSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two service instances sharing one PostgreSQL database, as several worker JVMs behind a load
 * balancer would. Starts a throwaway cluster with the local {@code initdb}/{@code pg_ctl}
 * ({@code /usr/lib/postgresql/<v>/bin} or PATH); skipped, with the reason, where there are none.
 * As root it runs them through {@code runuser -u postgres}, since initdb refuses root.
 */
class PostgresSharedStoreIT {
  private static Path bin;
  private static Path base;
  private static Path data;
  private static boolean asPostgres;
  private static String jdbcUrl;

  @BeforeAll
  static void startCluster() throws Exception {
    bin = findPostgresBin();
    assumeTrue(bin != null, "skipped: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH");
    boolean root = "root".equals(System.getProperty("user.name"));
    asPostgres = root;
    if (root) {
      assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) && userExists("postgres"),
          "skipped: running as root (initdb refuses root) and no runuser + postgres user to drop to");
    }
    base = Files.createTempDirectory("racetrace-pg-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    data = base.resolve("data");
    Files.createDirectories(data);
    Path sockets = Files.createDirectories(base.resolve("sock"));
    if (asPostgres) {
      UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
      for (Path p : List.of(data, sockets)) {
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
      }
      Files.setOwner(base, users.lookupPrincipalByName("postgres"));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run(60, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "racetrace", "--auth=trust",
        "--no-sync", "-E", "UTF8", "--locale=C");
    run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("pg.log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + sockets + " -c listen_addresses=127.0.0.1"
            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
    jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
      run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }
    if (base != null) {
      try (Stream<Path> walk = Files.walk(base)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static HotSkuLoad.Result loadOnTwoInstances(Mode mode) throws Exception {
    List<TargetService> services = new ArrayList<>();
    try {
      for (String id : List.of("pg-a", "pg-b")) {
        services.add(TargetService.start(ServiceConfig.builder(mode)
            .jdbc(jdbcUrl, "racetrace", "")
            .instanceId(id + "-" + mode.label())
            .workers(8)
            .queueCapacity(1024)
            .faults(new FaultSettings(5, 0, 0, 0, 0))
            .build()));
      }
      List<TestHttp> clients = services.stream().map(s -> new TestHttp(s.baseUri())).toList();
      return HotSkuLoad.run(clients, "pg-hot", 100, 300, 24, 10);
    } finally {
      services.forEach(TargetService::close);
    }
  }

  @Test
  void unsafe_twoInstancesOneDatabase_oversell() throws Exception {
    HotSkuLoad.Result r = loadOnTwoInstances(Mode.UNSAFE);
    assertTrue(r.mismatch() > 0, "lost updates across instances expected: " + r);
  }

  @Test
  void conditional_twoInstancesOneDatabase_invariantHolds() throws Exception {
    HotSkuLoad.Result r = loadOnTwoInstances(Mode.CONDITIONAL);
    assertEquals(0, r.mismatch(), r.toString());
    assertEquals(0, r.duplicateConfirmations(), r.toString());
    assertTrue(r.confirmedIds() > 0, r.toString());
    assertEquals(r.consumed(), r.recordedConfirmations(), r.toString());
  }

  private static Path findPostgresBin() throws IOException {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path best = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparing(PostgresSharedStoreIT::majorVersion)).orElse(null);
        if (best != null) {
          return best;
        }
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path d = Path.of(dir);
      if (!dir.isEmpty() && Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl"))) {
        return d;
      }
    }
    return null;
  }

  private static int majorVersion(Path binDir) {
    try {
      return Integer.parseInt(binDir.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean userExists(String name) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
      return lines.anyMatch(l -> l.startsWith(name + ":"));
    }
  }

  private static void run(int timeoutSeconds, String... cmd) throws Exception {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Path log = Files.createTempFile("racetrace-pg-cmd", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out: " + full);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(full + " exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
