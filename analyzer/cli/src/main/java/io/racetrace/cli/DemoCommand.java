package io.racetrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.racetrace.analyzer.cli.ExitCodes;
import io.racetrace.workload.GroundTruth;
import io.racetrace.workload.Profiles;
import io.racetrace.workload.TwoClientReproducer;
import io.racetrace.workload.WorkloadConfig;
import io.racetrace.workload.WorkloadProfile;
import io.racetrace.workload.WorkloadResult;
import io.racetrace.workload.WorkloadRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code racetrace demo}: the whole validation story of a reservation service that oversells,
 * on the reference service, with nothing to install.
 *
 * <p>For each build (the unsafe one, then the mitigated one, same workload seeds) it starts the
 * service, then runs the test plan phase by phase, attaching the agent for each phase and
 * detaching after it: single-thread baseline; two-client race without and with the agent's
 * rendezvous; load with hot keys and bursts; failure injection (client retries, worker restart,
 * storage timeouts, duplicate requests). After every phase it reconciles the inventory invariant
 * twice, from the store (the workload's ground truth) and from the capture (the analyzer), and
 * writes the phase's report. Last, it compares the two load phases, writes the release package
 * ({@code racetrace report}, into {@code OUT/release/}) and prints the release decision.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the whole story on the reference service: race, root cause, fix, retest, decision;",
        "then the Spring Boot reference service's racy and safe endpoints, captured with probe packs.",
        "Defaults take a few minutes on embedded H2; --full runs the load phase at 900 req/s for 10 minutes."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {"0:the mitigated build's load phase passes the release criteria (release or canary); with --spring-only, the Spring service's safe endpoint does",
        "1:it does not, or a phase could not run (the service did not start, an analysis failed)",
        "2:a bad option (checked before any phase runs: one line naming it), or racetrace is not built"})
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The two-client race with the agent's rendezvous: the release package's reproduction. */
  static final String REPRODUCTION = "race-rendezvous";

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Where captures and reports go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("racetrace-out", "demo");

  @Option(names = "--full", description = "The validation plan's peak: load phase at 900 req/s for 600 s.")
  boolean full;

  @Option(names = "--rate", paramLabel = "REQ/S", description = "Load phase rate (default 200, or 900 with --full).")
  Double rate;

  @Option(names = "--duration-seconds", paramLabel = "S", description = "Load phase length (default 30, or 600 with --full); from 20 s on, its first 6 to 10 s are a warm-up, not judged on latency.")
  Double duration;

  @Option(names = "--instances", paramLabel = "N", description = "Worker JVMs behind the driver's round robin (N > 1 needs --jdbc-url).")
  int instances = 1;

  @Option(names = "--jdbc-url", paramLabel = "URL", description = "A shared store, e.g. jdbc:postgresql://127.0.0.1/racetrace.")
  String jdbcUrl;

  @Option(names = "--jdbc-user", paramLabel = "USER")
  String jdbcUser;

  @Option(names = "--race-runs", paramLabel = "N", description = "Runs of the two-client race (default: ${DEFAULT-VALUE}).")
  int raceRuns = 20;

  @Option(names = "--spring-only", description = "Only the Spring Boot service's phase (its racy and safe endpoints); exit 0 if its safe endpoint passes.")
  boolean springOnly;

  private PrintWriter o;
  private Path home;

  /** What one phase found, from the store and from the capture. */
  record PhaseResult(String name, Path report, long storeMismatch, long analyzerMismatch, long lostUpdates,
      long duplicates, String decision, int exitCode) {}

  @Override
  public Integer call() throws Exception {
    o = spec.commandLine().getOut();
    home = Path.of(System.getProperty("racetrace.home", ".")).toAbsolutePath().normalize();
    checkOptions();
    Path agent = AgentJar.locate(null);
    if (springOnly) {
      o.println("racetrace demo: captures and reports in " + out);
      DemoOut.clearEarlierRun(out);
      List<SpringDemo.Result> spring = new SpringDemo(home, out.resolve(DemoOut.SPRING), o, spec.commandLine().getErr())
          .run(agent);
      boolean safePasses = spring.stream().anyMatch(r -> r.endpoint().equals("safe") && r.exitCode() == 0);
      return safePasses ? RacetraceMain.OK : RacetraceMain.FAILED;
    }
    Path service = require(home.resolve("target-service/target/racetrace-target-service.jar"));
    o.println("racetrace demo: captures and reports in " + out);
    if (DemoOut.clearEarlierRun(out)) {
      o.println("removed the captures of an earlier run in " + out);
    }

    List<PhaseResult> unsafe = story(DemoOut.UNSAFE, agent, service);
    List<PhaseResult> fixed = story(DemoOut.CONDITIONAL, agent, service);

    PhaseResult before = find(unsafe, "load");
    PhaseResult after = find(fixed, "load");
    o.println();
    o.println("== retest: same workload seed, before and after the mitigation ==");
    StringWriter cmpOut = new StringWriter();
    StringWriter cmpErr = new StringWriter();
    int cmp = RacetraceMain.run(new PrintWriter(cmpOut, true), new PrintWriter(cmpErr, true),
        // The load phases' reports, not their queues: also right with --instances N (queue-1..N), and not analyzed twice.
        "compare", before.report().toString(), after.report().toString(),
        "--out", out.resolve("compare").toString());
    o.print(cmpOut);
    o.print(cmpErr);
    o.println();
    o.println("== release package ==");
    StringWriter relOut = new StringWriter();
    StringWriter relErr = new StringWriter();
    int rel = RacetraceMain.run(new PrintWriter(relOut, true), new PrintWriter(relErr, true),
        releaseArgs(unsafe, fixed, out.resolve(DemoOut.RELEASE)).toArray(new String[0]));
    o.print(relOut);
    o.print(relErr);
    List<SpringDemo.Result> spring = new SpringDemo(home, out.resolve(DemoOut.SPRING), o, spec.commandLine().getErr())
        .run(agent);
    o.println();
    o.println("== release decision ==");
    o.printf("unsafe build:    %s (invariant mismatch %d, %d lost updates)%n", before.decision(), before.analyzerMismatch(), before.lostUpdates());
    o.printf("mitigated build: %s (invariant mismatch %d, %d duplicate confirmations)%n", after.decision(), after.analyzerMismatch(), after.duplicates());
    o.println("reports: " + out.resolve("unsafe/load/report/report.html") + " and " + out.resolve("conditional/load/report/report.html")
        + "; retest table: " + out.resolve("compare") + "; release package: " + out.resolve(DemoOut.RELEASE));
    for (SpringDemo.Result r : spring) {
      o.printf("Spring %s endpoint: %s (invariant mismatch %d, the database's %d)%n", r.endpoint(), r.decision(),
          r.analyzerMismatch(), r.storeMismatch());
    }
    boolean ran = cmp != RacetraceMain.USAGE && rel != RacetraceMain.USAGE;
    return after.exitCode() == 0 && ran ? RacetraceMain.OK : RacetraceMain.FAILED;
  }

  /**
   * {@code racetrace report} over the phases' reports: the load phases as baseline and retest, the
   * unsafe build's rendezvous race as the reproduction, every other phase of each build by name.
   */
  static List<String> releaseArgs(List<PhaseResult> unsafe, List<PhaseResult> fixed, Path releaseDir) {
    List<String> a = new ArrayList<>(List.of("report", "--baseline", find(unsafe, "load").report().toString(),
        "--retest", find(fixed, "load").report().toString(), "--out", releaseDir.toString()));
    for (PhaseResult r : unsafe) {
      if (r.name().equals(REPRODUCTION)) {
        a.addAll(List.of("--reproduction", r.report().toString()));
      } else if (!r.name().equals("load")) {
        a.addAll(List.of("--baseline-phase", r.name() + "=" + r.report()));
      }
    }
    for (PhaseResult r : fixed) {
      if (!r.name().equals("load")) {
        a.addAll(List.of("--phase", r.name() + "=" + r.report()));
      }
    }
    return a;
  }

  /**
   * Every option, before any phase runs: a bad value found after minutes of phases would waste them,
   * and one found inside a phase surfaces as that phase's failure, not as the option's.
   */
  private void checkOptions() {
    positive("--rate", rate, "requests per second");
    positive("--duration-seconds", duration, "seconds");
    if (instances < 1) {
      throw usage("--instances " + instances + ": must be at least 1");
    }
    if (instances > 1 && jdbcUrl == null) {
      throw usage("--instances " + instances + " needs a shared store: pass --jdbc-url");
    }
    if (raceRuns < 1) {
      throw usage("--race-runs " + raceRuns + ": must be at least 1");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
      throw usage("--jdbc-url " + jdbcUrl + ": not a JDBC URL (e.g. jdbc:postgresql://127.0.0.1/racetrace)");
    }
    if (jdbcUser != null && jdbcUrl == null) {
      throw usage("--jdbc-user needs --jdbc-url (the embedded store has no users)");
    }
    writable(out);
  }

  private static void positive(String option, Double v, String unit) {
    if (v != null && !(v > 0 && v < Double.POSITIVE_INFINITY)) {
      throw usage(option + " " + v + ": must be a number above 0 (" + unit + ")");
    }
  }

  /** Creates {@code dir} and a file in it, as the phases will. */
  private static void writable(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".racetrace-demo-", ".probe"));
    } catch (java.io.IOException | SecurityException e) {
      String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
          : e instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name is in the way"
          : e.getClass().getSimpleName();
      throw usage("--out " + dir + ": cannot write there (" + why + ")");
    }
  }

  private static UserException usage(String message) {
    return new UserException(RacetraceMain.USAGE, "demo " + message);
  }

  private List<PhaseResult> story(String mode, Path agent, Path serviceJar) throws Exception {
    o.println();
    o.println("== " + mode + " service" + (mode.equals("unsafe") ? " (read, check, blind write)" : " (conditional write on version, idempotent ids, bounded retry)") + " ==");
    List<ServiceJvm> services = new ArrayList<>();
    List<PhaseResult> results = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        List<String> args = new ArrayList<>(List.of("--mode", mode, "--instance-id", mode + "-" + (i + 1)));
        if (jdbcUrl != null) {
          args.addAll(List.of("--jdbc-url", jdbcUrl));
          if (jdbcUser != null) {
            args.addAll(List.of("--jdbc-user", jdbcUser));
          }
          if (i == 0) {
            args.add("--reset-store");
          }
        }
        services.add(new ServiceJvm(serviceJar, args, out.resolve(mode).resolve("service-" + (i + 1) + ".log")));
      }
      List<URI> targets = services.stream().map(s -> s.uri).toList();
      Path probes = home.resolve("samples/probes/target-service.yaml");
      Path reproduce = home.resolve("samples/probes/target-service-reproduce.yaml");

      results.add(load(mode, "functional", "demo-functional.yaml", services, targets, probes, agent, false));
      results.add(race(mode, "race", services, targets, probes, agent));
      results.add(race(mode, REPRODUCTION, services, targets, reproduce, agent));
      results.add(load(mode, "load", "demo-load.yaml", services, targets, probes, agent, true));
      results.add(load(mode, "retries", "demo-retries.yaml", services, targets, probes, agent, false));
      results.add(load(mode, "worker-restart", "demo-restart.yaml", services, targets, probes, agent, false));
      results.add(load(mode, "storage-timeout", "demo-timeouts.yaml", services, targets, probes, agent, false));
      results.add(load(mode, "duplicates", "demo-duplicates.yaml", services, targets, probes, agent, false));
    } finally {
      for (ServiceJvm s : services) {
        s.close();
      }
    }
    return results;
  }

  /** One workload phase: attach, run the profile, detach, reconcile, report. */
  private PhaseResult load(String mode, String name, String profileFile, List<ServiceJvm> services, List<URI> targets,
      Path probes, Path agent, boolean scalable) throws Exception {
    WorkloadProfile p = Profiles.load(home.resolve("samples/workloads").resolve(profileFile).toString());
    if (scalable) {
      p = scaled(p);
    }
    Path dir = out.resolve(mode).resolve(name);
    List<Path> queues = attach(services, dir, probes, agent);
    WorkloadResult w = new WorkloadRunner(new WorkloadConfig(targets, p, true, true)).run();
    w.writeGroundTruth(dir.resolve("ground-truth.json"));
    detach(services, agent);
    GroundTruth t = w.groundTruth();
    PhaseResult r = analyze(name, queues, dir, t.totals().mismatch(), warmupSeconds(p.durationSeconds()));
    o.printf("%-16s %6d requests %6d confirmed   mismatch: store %d, capture %d   lost updates %d   duplicate confirmations %d   -> %s%n",
        name, t.requests().planned(), t.totals().confirmed(), r.storeMismatch(), r.analyzerMismatch(), r.lostUpdates(),
        r.duplicates(), r.decision());
    return r;
  }

  /** The two-client race on one sku, I0 = 1: how often it oversells without help, and with the rendezvous. */
  private PhaseResult race(String mode, String name, List<ServiceJvm> services, List<URI> targets, Path probes, Path agent)
      throws Exception {
    Path dir = out.resolve(mode).resolve(name);
    List<Path> queues = attach(services, dir, probes, agent);
    TwoClientReproducer.Report rep = new TwoClientReproducer(
        new TwoClientReproducer.Config(targets, "race-sku", raceRuns, 1, Map.of())).run();
    detach(services, agent);
    Files.writeString(dir.resolve("race.txt"), rep.summary());
    PhaseResult r = analyze(name, queues, dir, rep.oversoldRuns(), null);
    o.printf("%-16s %d of %d runs oversold   lost updates in the capture: %d   -> %s%n",
        name, rep.oversoldRuns(), rep.runs(), r.lostUpdates(), r.decision());
    return r;
  }

  private List<Path> attach(List<ServiceJvm> services, Path dir, Path probes, Path agent) {
    AgentAttacher attacher = new AgentAttacher(o, spec.commandLine().getErr());
    List<Path> queues = new ArrayList<>();
    for (int i = 0; i < services.size(); i++) {
      Path q = dir.resolve(services.size() == 1 ? "queue" : "queue-" + (i + 1));
      queues.add(q);
      // callTiming=full: reads and writes take their entry time too, so the report's timelines show
      // each call's entry and exit, and a window starts where its read did.
      attacher.attach(services.get(i).pid, agent, "probes=" + probes + ",queue=" + q + ",worker=worker-" + (i + 1)
          + ",callTiming=full");
    }
    return queues;
  }

  private void detach(List<ServiceJvm> services, Path agent) {
    AgentAttacher attacher = new AgentAttacher(o, spec.commandLine().getErr());
    for (ServiceJvm s : services) {
      attacher.detach(s.pid, agent);
    }
  }

  /**
   * The warm-up a phase of this length is analyzed with. Each phase attaches the agent anew, and the
   * JIT then recompiles the woven methods: on a 2-core machine the mitigated build took its first 2x
   * burst, 4 s in, with up to 190 ms of queue delay, and the later bursts with under 15 ms. A fifth
   * of the phase, 6 to 10 s; none under 20 s (the functional, race and fault phases are judged on
   * what they inject, not on latency).
   */
  static Double warmupSeconds(double phaseSeconds) {
    return phaseSeconds < 20 ? null : Math.min(10, Math.max(6, Math.round(phaseSeconds) / 5.0));
  }

  private PhaseResult analyze(String name, List<Path> queues, Path dir, long storeMismatch, Double warmup)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("analyze"));
    queues.forEach(q -> args.add(q.toString()));
    args.addAll(List.of("--out", dir.resolve("report").toString(), "--quiet"));
    if (warmup != null) {
      args.addAll(List.of("--warmup-s", Double.toString(warmup)));
    }
    StringWriter err = new StringWriter();
    int code = RacetraceMain.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(new String[0]));
    if (code == RacetraceMain.USAGE) {
      throw new UserException(RacetraceMain.FAILED, "analysis of phase " + name + " failed: " + err.toString().trim());
    }
    JsonNode rep = JSON.readTree(dir.resolve("report/report.json").toFile());
    JsonNode det = rep.path("detectors");
    return new PhaseResult(name, dir.resolve("report"), storeMismatch,
        det.path("invariant").path("mismatch").asLong(), det.path("lostUpdates").path("lostUpdates").asLong(),
        det.path("duplicates").path("duplicateConfirmations").asLong(), rep.path("release").path("decision").asText(), code);
  }

  private WorkloadProfile scaled(WorkloadProfile p) {
    double r = rate != null ? rate : full ? 900 : p.ratePerSecond();
    double d = duration != null ? duration : full ? 600 : p.durationSeconds();
    return new WorkloadProfile(p.name(), p.description(), p.seed(), r, d, p.arrival(), p.inventory(), p.skuCount(),
        p.initialQuantity(), p.keys(), p.quantity(), p.bursts(), p.duplicateShare(), p.client(), p.faults(),
        p.restartWorkersAtSeconds());
  }

  private static PhaseResult find(List<PhaseResult> rs, String name) {
    return rs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private static Path require(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new UserException(RacetraceMain.USAGE, "not built: " + p + " (run 'mvn -B -DskipTests package')");
    }
    return p;
  }
}
