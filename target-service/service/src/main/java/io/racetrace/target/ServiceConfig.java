package io.racetrace.target;

import io.racetrace.target.fault.FaultSettings;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything the service is started with. Immutable; build with {@link #builder(Mode)}.
 *
 * @param jdbcUrl null means a private in-memory H2 database for this instance
 * @param seedInventory skus set to these quantities (version 0) at start
 * @param resetStore delete all inventory rows and reservation records at start
 * @param instanceId names this JVM in answers and worker thread names (several may share a store)
 */
public record ServiceConfig(
    Mode mode,
    String bindHost,
    int port,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int workers,
    int queueCapacity,
    int httpThreads,
    int maxRetries,
    int retryBackoffMs,
    FaultSettings faults,
    long faultSeed,
    Map<String, Long> seedInventory,
    boolean resetStore,
    String instanceId) {

  public ServiceConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(faults, "faults");
    seedInventory = Map.copyOf(seedInventory);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535]");
    }
    if (workers < 1 || queueCapacity < 1 || httpThreads < 1) {
      throw new IllegalArgumentException("workers, queue capacity and http threads must be >= 1");
    }
    if (maxRetries < 0 || maxRetries > 100 || retryBackoffMs < 0 || retryBackoffMs > 10_000) {
      throw new IllegalArgumentException("max retries must be in [0, 100], backoff in [0, 10000] ms");
    }
    seedInventory.forEach(
        (sku, q) -> {
          if (q < 0) {
            throw new IllegalArgumentException("seed quantity of " + sku + " is negative");
          }
        });
  }

  public String effectiveJdbcUrl() {
    // No DB_CLOSE_DELAY: the pool keeps the in-memory database open, closing the pool drops it.
    return jdbcUrl != null ? jdbcUrl : "jdbc:h2:mem:racetrace-" + instanceId;
  }

  public static Builder builder(Mode mode) {
    return new Builder(mode);
  }

  /** Defaults: loopback, port 0, in-memory H2, 16 workers, queue 256, 3 retries, no faults. */
  public static final class Builder {
    private final Mode mode;
    private String bindHost = "127.0.0.1";
    private int port;
    private String jdbcUrl;
    private String jdbcUser = "";
    private String jdbcPassword = "";
    private int workers = 16;
    private int queueCapacity = 256;
    private int httpThreads = 4;
    private int maxRetries = 2; // 3 attempts in all: the default release criteria allow at most 3
    private int retryBackoffMs = 2;
    private FaultSettings faults = FaultSettings.NONE;
    private long faultSeed = 1;
    private Map<String, Long> seedInventory = Map.of();
    private boolean resetStore;
    private String instanceId = "svc-" + UUID.randomUUID().toString().substring(0, 8);

    private Builder(Mode mode) {
      this.mode = mode;
    }

    public Builder bindHost(String v) { bindHost = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder jdbc(String url, String user, String password) {
      jdbcUrl = url; jdbcUser = user; jdbcPassword = password; return this;
    }
    public Builder workers(int v) { workers = v; return this; }
    public Builder queueCapacity(int v) { queueCapacity = v; return this; }
    public Builder httpThreads(int v) { httpThreads = v; return this; }
    public Builder maxRetries(int v) { maxRetries = v; return this; }
    public Builder retryBackoffMs(int v) { retryBackoffMs = v; return this; }
    public Builder faults(FaultSettings v) { faults = v; return this; }
    public Builder faultSeed(long v) { faultSeed = v; return this; }
    public Builder seedInventory(Map<String, Long> v) { seedInventory = v; return this; }
    public Builder resetStore(boolean v) { resetStore = v; return this; }
    public Builder instanceId(String v) { instanceId = v; return this; }

    public ServiceConfig build() {
      return new ServiceConfig(mode, bindHost, port, jdbcUrl, jdbcUser, jdbcPassword, workers,
          queueCapacity, httpThreads, maxRetries, retryBackoffMs, faults, faultSeed, seedInventory,
          resetStore, instanceId);
    }
  }
}
