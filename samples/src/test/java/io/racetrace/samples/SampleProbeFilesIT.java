package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every probe file in samples/probes parses (exit 3 against an empty class path: nothing to match,
 * nothing wrong with the file), and the Spring sample's packs find their methods in the real
 * framework jars the Spring service ships (Hibernate, the JDBC drivers, Spring Data).
 */
class SampleProbeFilesIT {
  @TempDir Path tmp;

  record Out(int exit, String out, String err) {}

  /** {@code racetrace probes check}, through the launcher, as a user runs it. */
  Out check(Path probes, Path classPath) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SpringServiceIT.LAUNCHER.toString(), "probes", "check", "--probes",
        probes.toString(), "--class-path", classPath.toString()));
    Path log = Files.createTempFile(tmp, "check", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(ServiceProcess.ROOT.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("probes check did not finish: " + Files.readString(log));
    }
    return new Out(p.exitValue(), Files.readString(log), "");
  }

  @Test
  void everySampleProbeFile_parses() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    List<Path> files;
    try (Stream<Path> s = Files.list(ServiceProcess.ROOT.resolve("samples/probes"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 4, files.toString());
    for (Path f : files) {
      Out o = check(f, empty);
      assertEquals(3, o.exit(), f.getFileName() + ": " + o.err());
    }
  }

  @Test
  void theSpringSamplesPacks_findTheirMethodsInTheServicesJars() throws Exception {
    Out o = check(ServiceProcess.ROOT.resolve("samples/probes/spring-service.yaml"), ServiceProcess.SPRING_SERVICE);
    String all = o.out() + o.err();
    // The repository proxies exist only at run time (exit 3: racy-write matches no class here);
    // every pack probe is in the jars.
    assertEquals(3, o.exit(), all);
    for (String probe : List.of("jdbc:commit", "jdbc:rollback", "jpa:find", "hibernate:query", "hibernate:flush")) {
      String line = all.lines().filter(l -> l.contains(probe)).findFirst().orElse("");
      assertFalse(line.isEmpty(), probe + " listed: " + all);
      assertFalse(line.contains("matched no") || line.contains(": 0 method"), probe + ": " + line);
    }
  }
}
