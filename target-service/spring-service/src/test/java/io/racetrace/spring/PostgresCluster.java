package io.racetrace.spring;

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

/**
 * A throwaway PostgreSQL cluster from the local {@code initdb}/{@code pg_ctl}
 * ({@code /usr/lib/postgresql/<v>/bin} or PATH), as target-service's {@code PostgresSharedStoreIT}
 * starts one: trust auth for user {@code racetrace}, loopback only, no fsync. As root it runs them
 * through {@code runuser -u postgres}, since initdb refuses root.
 */
final class PostgresCluster implements AutoCloseable {
  final String jdbcUrl;
  private final Path bin;
  private final Path base;
  private final Path data;
  private final boolean asPostgres;

  private PostgresCluster(Path bin, Path base, boolean asPostgres, int port) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.asPostgres = asPostgres;
    this.jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Why there is no cluster here, or null when {@link #start} can run. */
  static String unavailableReason() throws IOException {
    if (findBin() == null) {
      return "no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH";
    }
    if (isRoot() && !(Files.isExecutable(Path.of("/usr/sbin/runuser")) && userExists("postgres"))) {
      return "running as root (initdb refuses root) and no runuser + postgres user to drop to";
    }
    return null;
  }

  static PostgresCluster start() throws Exception {
    Path base = Files.createTempDirectory("racetrace-spring-pg-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresCluster c = new PostgresCluster(findBin(), base, isRoot(), port);
    Path sockets = Files.createDirectories(base.resolve("sock"));
    Files.createDirectories(c.data);
    if (c.asPostgres) {
      UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
      for (Path p : List.of(c.data, sockets, base)) {
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
      }
    }
    c.run(c.bin.resolve("initdb").toString(), "-D", c.data.toString(), "-U", "racetrace", "--auth=trust",
        "--no-sync", "-E", "UTF8", "--locale=C");
    c.run(c.bin.resolve("pg_ctl").toString(), "-D", c.data.toString(), "-l", base.resolve("pg.log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + sockets + " -c listen_addresses=127.0.0.1"
            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
    return c;
  }

  @Override
  public void close() throws Exception {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
      }
    } finally {
      try (Stream<Path> walk = Files.walk(base)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path findBin() throws IOException {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path best = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparing(PostgresCluster::majorVersion)).orElse(null);
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

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean userExists(String name) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
      return lines.anyMatch(l -> l.startsWith(name + ":"));
    }
  }

  private void run(String... cmd) throws Exception {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Path log = Files.createTempFile("racetrace-spring-pg-cmd", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
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
