package io.racetrace.target;

import io.racetrace.target.fault.FaultSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar racetrace-target-service.jar --mode unsafe --port 0 --seed-inventory sku-1=100}.
 * Prints {@code ready: port=NNNN} on stdout once serving, then runs until killed (SIGTERM or
 * Ctrl-C close it cleanly). Exit code 2 for usage errors, 1 if it cannot start.
 */
@Command(
    name = "racetrace-target-service",
    mixinStandardHelpOptions = true,
    version = "racetrace-target-service 0.1.0",
    sortOptions = false,
    description = "The reservation service of the seed: a system under test for racetrace.")
public final class TargetServiceMain implements Callable<Integer> {

  @Option(names = "--mode", required = true, description = "unsafe | conditional", converter = ModeConverter.class)
  Mode mode;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE}; the admin endpoints are unauthenticated)")
  String bind;

  @Option(names = "--jdbc-url", description = "JDBC URL; default a private in-memory H2 database. jdbc:postgresql://... lets several instances share state")
  String jdbcUrl;

  @Option(names = "--jdbc-user", defaultValue = "", description = "JDBC user")
  String jdbcUser;

  @Option(names = "--jdbc-password", defaultValue = "${env:RACETRACE_JDBC_PASSWORD:-}", description = "JDBC password (default: $RACETRACE_JDBC_PASSWORD)")
  String jdbcPassword;

  @Option(names = "--seed-inventory", split = ",", paramLabel = "SKU=QTY", description = "set these skus to QTY at version 0, e.g. sku-1=100,sku-2=5")
  Map<String, Long> seedInventory = new LinkedHashMap<>();

  @Option(names = "--reset-store", description = "delete all inventory and reservation rows at start")
  boolean resetStore;

  @Option(names = "--workers", defaultValue = "16", description = "worker threads (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--queue-capacity", defaultValue = "256", description = "bounded worker queue; full answers 503 (default: ${DEFAULT-VALUE})")
  int queueCapacity;

  @Option(names = "--http-threads", defaultValue = "4", description = "threads that parse requests (default: ${DEFAULT-VALUE})")
  int httpThreads;

  @Option(names = "--max-retries", defaultValue = "2", description = "conditional mode: CAS retries after the first attempt, so at most 1 + N attempts (default: ${DEFAULT-VALUE}, the 3 attempts of the default release criteria)")
  int maxRetries;

  @Option(names = "--retry-backoff-ms", defaultValue = "2", description = "conditional mode: base of the jittered exponential backoff (default: ${DEFAULT-VALUE})")
  int retryBackoffMs;

  @Option(names = "--read-latency-ms", defaultValue = "0", description = "fault: added inside each store read, after the row is fetched")
  int readLatencyMs;

  @Option(names = "--write-latency-ms", defaultValue = "0", description = "fault: added inside each store write / compareAndSet, before it runs")
  int writeLatencyMs;

  @Option(names = "--timeout-rate", defaultValue = "0", description = "fault: probability that a store read or write throws StorageTimeoutException (503)")
  double timeoutRate;

  @Option(names = "--timeout-delay-ms", defaultValue = "0", description = "fault: how long a timing-out operation blocks first")
  int timeoutDelayMs;

  @Option(names = "--duplicate-rate", defaultValue = "0", description = "fault: probability that an accepted request is delivered twice (at-least-once queue)")
  double duplicateRate;

  @Option(names = "--fault-seed", defaultValue = "1", description = "seed of the fault dice and retry jitter (default: ${DEFAULT-VALUE})")
  long faultSeed;

  @Option(names = "--instance-id", description = "name of this instance in answers and thread names (default: svc-<pid>)")
  String instanceId;

  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Parses and starts; returns only on a usage error or a failed start (the server keeps running otherwise). */
  static int run(String... args) {
    return new CommandLine(new TargetServiceMain()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    ServiceConfig config;
    try {
      config =
          ServiceConfig.builder(mode)
              .port(port)
              .bindHost(bind)
              .jdbc(jdbcUrl, jdbcUser, jdbcPassword)
              .seedInventory(seedInventory)
              .resetStore(resetStore)
              .workers(workers)
              .queueCapacity(queueCapacity)
              .httpThreads(httpThreads)
              .maxRetries(maxRetries)
              .retryBackoffMs(retryBackoffMs)
              .faults(new FaultSettings(readLatencyMs, writeLatencyMs, timeoutRate, timeoutDelayMs, duplicateRate))
              .faultSeed(faultSeed)
              .instanceId(instanceId != null ? instanceId : "svc-" + ProcessHandle.current().pid())
              .build();
    } catch (IllegalArgumentException e) {
      System.err.println("racetrace-target-service: " + e.getMessage());
      return 2;
    }
    TargetService service;
    try {
      service = TargetService.start(config);
    } catch (Exception e) {
      System.err.println("racetrace-target-service: cannot start: " + e);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "shutdown"));
    System.out.println("racetrace-target-service: mode=" + mode.label() + " instance=" + config.instanceId()
        + " workers=" + workers + " queue=" + queueCapacity + " store=" + redact(config.effectiveJdbcUrl()));
    System.out.println("ready: port=" + service.port());
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
      try {
        return Mode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("mode must be unsafe or conditional, got '" + value + "'");
      }
    }
  }
}
