package io.racetrace.target;

import com.sun.net.httpserver.HttpServer;
import io.racetrace.target.fault.Faults;
import io.racetrace.target.http.HttpApi;
import io.racetrace.target.store.ConnectionPool;
import io.racetrace.target.store.InventoryRow;
import io.racetrace.target.store.InventoryStore;
import io.racetrace.target.store.StorageException;
import io.racetrace.target.worker.RestartReport;
import io.racetrace.target.worker.WorkerPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running service: store, worker pool, HTTP server. {@link #start} returns once it serves;
 * {@link #close} stops it. Tests start it in-process; {@link TargetServiceMain} wraps it in a CLI.
 *
 * <p>Failure handling: a failed start closes whatever it had opened.
 */
public final class TargetService implements AutoCloseable {
  private final ServiceConfig config;
  private final Faults faults;
  private final InventoryStore store;
  private final ConnectionPool pool;
  private final WorkerPool workers;
  private final ServiceStats stats = new ServiceStats();
  private final ReservationService service;
  private HttpServer http;
  private ExecutorService httpExecutor;

  private TargetService(ServiceConfig config) {
    this.config = config;
    this.faults = new Faults(config.faults(), config.faultSeed());
    this.store = new InventoryStore(faults);
    // Each worker holds one connection for a whole request; a few more for admin and GET calls.
    this.pool = new ConnectionPool(
        config.effectiveJdbcUrl(), config.jdbcUser(), config.jdbcPassword(), config.workers() + 4, 10_000);
    try {
      this.workers = new WorkerPool(config.workers(), config.queueCapacity(), config.instanceId());
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    this.service = new ReservationService(config.mode(), store, pool, workers, faults, stats,
        config.maxRetries(), config.retryBackoffMs());
  }

  /** Starts serving; the returned service is ready for requests. */
  public static TargetService start(ServiceConfig config) throws IOException {
    // JDK HttpServer leaves Nagle on by default: small answers then wait for the client's delayed
    // ACK (~40 ms on Linux). Must be set before the first HttpServer of this JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    // It also closes kept-alive connections beyond 200 idle ones; a client pool larger than that
    // then meets closed sockets ("unexpected end of file") and has to retry. Same timing rule.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "2048");
    }
    TargetService s = new TargetService(config);
    try {
      s.initStore();
      s.startHttp();
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void initStore() {
    try (ConnectionPool.Lease lease = pool.lease()) {
      Connection c = lease.connection();
      store.createSchema(c);
      if (config.resetStore()) {
        store.clear(c);
      }
      for (Map.Entry<String, Long> e : config.seedInventory().entrySet()) {
        store.seed(c, e.getKey(), e.getValue());
      }
      commit(c);
    }
  }

  private void startHttp() throws IOException {
    AtomicInteger n = new AtomicInteger();
    httpExecutor = Executors.newFixedThreadPool(config.httpThreads(), r -> {
      Thread t = new Thread(r, config.instanceId() + "-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http = HttpServer.create(new InetSocketAddress(config.bindHost(), config.port()), 1024);
    http.createContext("/", new HttpApi(this));
    http.setExecutor(httpExecutor);
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public URI baseUri() {
    String host = config.bindHost().contains(":") ? "[" + config.bindHost() + "]" : config.bindHost();
    if ("0.0.0.0".equals(host)) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + host + ":" + port());
  }

  public ServiceConfig config() {
    return config;
  }

  public ReservationService service() {
    return service;
  }

  public Faults faults() {
    return faults;
  }

  public ServiceStats stats() {
    return stats;
  }

  public WorkerPool workers() {
    return workers;
  }

  /** Fault-free read of one sku; null if unknown. */
  public InventoryRow inventory(String sku) {
    try (ConnectionPool.Lease lease = pool.lease()) {
      InventoryRow row = store.snapshot(lease.connection(), sku);
      commit(lease.connection());
      return row;
    }
  }

  /**
   * Seeds skus (quantity, version 0, their reservation records forgotten). With {@code replace},
   * every other sku and record is deleted first and the server counters are reset: a new test
   * phase.
   */
  public void seed(Map<String, Long> quantities, boolean replace) {
    try (ConnectionPool.Lease lease = pool.lease()) {
      Connection c = lease.connection();
      if (replace) {
        store.clear(c);
      }
      for (Map.Entry<String, Long> e : quantities.entrySet()) {
        store.seed(c, e.getKey(), e.getValue());
      }
      commit(c);
    }
    if (replace) {
      stats.reset();
    }
  }

  /** The final state for reconciliation: every sku with its quantity and version. */
  public Map<String, Object> inventoryState() {
    List<InventoryRow> rows;
    Map<String, long[]> recorded;
    try (ConnectionPool.Lease lease = pool.lease()) {
      rows = store.snapshotAll(lease.connection());
      recorded = store.confirmedRecordsBySku(lease.connection());
      commit(lease.connection());
    }
    List<Map<String, Object>> skus = new ArrayList<>();
    long total = 0;
    for (InventoryRow r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sku", r.sku());
      m.put("quantity", r.quantity());
      m.put("version", r.version());
      long[] rec = recorded.getOrDefault(r.sku(), new long[2]);
      m.put("recordedConfirmations", rec[0]);
      m.put("recordedUnits", rec[1]);
      skus.add(m);
      total += r.quantity();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", config.mode().label());
    out.put("instance", config.instanceId());
    out.put("skus", skus);
    out.put("totalQuantity", total);
    return out;
  }

  public RestartReport restartWorkers(long awaitMillis) throws InterruptedException {
    return workers.restart(awaitMillis);
  }

  private static void commit(Connection c) {
    try {
      c.commit();
    } catch (SQLException e) {
      throw new StorageException("commit failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    workers.close();
    if (httpExecutor != null) {
      httpExecutor.shutdown();
      try {
        httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pool.close();
  }
}
