package io.racetrace.workload;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar racetrace-workload.jar run|race|plan ...}. Exit codes: 0 done, 1 failure
 * (service unreachable, I/O), 2 usage, 3 the run finished but the invariant was violated and
 * {@code --fail-on-mismatch} was given.
 */
@Command(
    name = "racetrace-workload",
    mixinStandardHelpOptions = true,
    version = "racetrace-workload 0.1.0",
    description = "Open-model load driver and race reproducer for the racetrace target service.",
    subcommands = {WorkloadMain.Run.class, WorkloadMain.Race.class, WorkloadMain.Plan.class})
public final class WorkloadMain {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cl = new CommandLine(new WorkloadMain());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("racetrace-workload: " + ex);
      return 1;
    });
    return cl.execute(args);
  }

  /** Options shared by subcommands that load a profile. */
  static class ProfileOptions {
    @Option(names = "--profile", defaultValue = "seed-peak",
        description = "profile file (.json, .yaml) or bundled name: seed-peak, hot-sku (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--seed", description = "override the profile's workload seed")
    Long seed;

    @Option(names = "--rate", description = "override ratePerSecond")
    Double rate;

    @Option(names = "--duration-seconds", description = "override durationSeconds")
    Double duration;

    WorkloadProfile load() throws Exception {
      WorkloadProfile p = Profiles.load(profile);
      if (seed != null) {
        p = p.withSeed(seed);
      }
      return p.withRateAndDuration(rate, duration).normalized();
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Send a profile's schedule open-loop, then reconcile and print the ground truth.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin ProfileOptions profile = new ProfileOptions();

    @Option(names = "--target", required = true, split = ",",
        description = "service base URL(s), e.g. http://127.0.0.1:8080; several are used round-robin")
    List<URI> targets;

    @Option(names = "--out", description = "write the ground truth JSON here")
    Path out;

    @Option(names = "--no-seed-inventory", negatable = false,
        description = "do not replace the store's inventory with the profile's first")
    boolean noSeed;

    @Option(names = "--no-faults", negatable = false, description = "do not set the profile's fault knobs")
    boolean noFaults;

    @Option(names = "--fail-on-mismatch", description = "exit 3 if the invariant does not hold")
    boolean failOnMismatch;

    @Override
    public Integer call() throws Exception {
      WorkloadProfile p = profile.load();
      WorkloadResult r = new WorkloadRunner(new WorkloadConfig(targets, p, !noSeed, !noFaults)).run();
      System.out.print(r.groundTruth().summary());
      if (out != null) {
        r.writeGroundTruth(out);
        System.out.println("ground truth written to " + out);
      }
      return failOnMismatch && !r.groundTruth().invariantHolds() ? 3 : 0;
    }
  }

  @Command(name = "race", mixinStandardHelpOptions = true,
      description = "Two clients reserve the last unit of one sku at the same moment, N times.")
  static final class Race implements Callable<Integer> {
    @Option(names = "--target", required = true, split = ",",
        description = "one base URL, or two (client A uses the first, client B the second)")
    List<URI> targets;

    @Option(names = "--runs", defaultValue = "20", description = "repetitions (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--sku", defaultValue = "race-sku", description = "sku to race on; set to I0 = 1 before each run")
    String sku;

    @Option(names = "--seed", defaultValue = "1", description = "makes the request ids")
    long seed;

    @Option(names = "--read-latency-ms", description = "set this read-latency fault on the targets first")
    Integer readLatencyMs;

    @Option(names = "--out", description = "write the report JSON here")
    Path out;

    @Override
    public Integer call() throws Exception {
      Map<String, Double> faults = new LinkedHashMap<>();
      if (readLatencyMs != null) {
        faults.put("readLatencyMs", readLatencyMs.doubleValue());
      }
      TwoClientReproducer.Report report =
          new TwoClientReproducer(new TwoClientReproducer.Config(targets, sku, runs, seed, faults)).run();
      System.out.print(report.summary());
      if (out != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(out.toFile(), report);
      }
      return 0;
    }
  }

  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = "Print the schedule's size, fingerprint and digest (and the first requests) without sending.")
  static final class Plan implements Callable<Integer> {
    @CommandLine.Mixin ProfileOptions profile = new ProfileOptions();

    @Option(names = "--show", defaultValue = "5", description = "how many planned requests to print")
    int show;

    @Override
    public Integer call() throws Exception {
      WorkloadProfile p = profile.load();
      Schedule s = Schedule.of(p);
      System.out.printf("profile %s seed %d: %d requests, %d sends%n", p.name(), p.seed(), s.requests().size(), s.sends());
      System.out.println("workloadFingerprint " + Profiles.fingerprint(p));
      System.out.println("scheduleDigest " + s.digest());
      List<PlannedRequest> head = new ArrayList<>(s.requests().subList(0, Math.min(show, s.requests().size())));
      head.forEach(System.out::println);
      return 0;
    }
  }
}
