package io.racetrace.samples.foreign.stock;

import io.racetrace.samples.foreign.Clients;
import io.racetrace.samples.foreign.Truth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The order service on H2 under load: {@code --threads} clients order 1..3 units of
 * {@code --items} stock items. On its own (embedded H2) it creates the tables, runs, and prints
 * the ground truth read from the database: orders whose update replaced another version than the
 * one read (lost updates), the units those erased, and per item the units ordered against what
 * left the stock (the invariant). As one of several workers on an H2 server ({@code --url
 * jdbc:h2:tcp://..., --worker W --workers N}) it waits until all N are ready, runs, and prints
 * only its own counts; whoever started the workers reads the truth with {@link #truth}.
 * <pre>java ... StockMain --variant racy|rowcount|exception [--threads 8] [--requests 500] [--items 8]</pre>
 */
public final class StockMain {
  public static void main(String[] args) throws Exception {
    String variant = Clients.arg(args, "variant", "racy");
    int threads = Clients.intArg(args, "threads", 8);
    int perThread = Clients.intArg(args, "requests", 500);
    int items = Clients.intArg(args, "items", 8);
    long seed = Clients.intArg(args, "seed", 1);
    String worker = Clients.arg(args, "worker", null);
    int workers = Clients.intArg(args, "workers", 1);
    String url = Clients.arg(args, "url", "jdbc:h2:mem:stock;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
    if (worker == null) {
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        setup(c, items);
      }
    } else {
      awaitWorkers(url, worker, workers);
    }
    OrderService service = new OrderService(url, variant);
    String prefix = worker == null ? "o-" : "o-" + worker + "-";
    long t0 = System.nanoTime();
    Clients.run(threads, perThread, seed + (worker == null ? 0 : worker.hashCode()), (t, i, rnd) ->
        service.placeOrder(new OrderRequest(prefix + t + "-" + i, 1 + rnd.nextInt(items), 1 + rnd.nextInt(3))));
    double seconds = (System.nanoTime() - t0) / 1e9;

    Truth truth = new Truth().put("variant", variant).put("requests", (long) threads * perThread);
    if (worker == null) {
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        truth(c).forEach(truth::put);
      }
    }
    truth.put("conflicts", service.conflicts.get()).put("conflictResponses", service.retryLater.get())
        .put("seconds", seconds).print();
  }

  public static void setup(Connection c, int items) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE stock(id BIGINT PRIMARY KEY, qty INT NOT NULL, version BIGINT NOT NULL, initial_qty INT NOT NULL)");
      st.execute("CREATE TABLE orders(order_id VARCHAR(64) PRIMARY KEY, stock_id BIGINT NOT NULL, quantity INT NOT NULL,"
          + " read_version BIGINT NOT NULL, read_qty INT NOT NULL, over_version BIGINT NOT NULL)");
      st.execute("CREATE TABLE workers(name VARCHAR(64) PRIMARY KEY)");
      for (int i = 1; i <= items; i++) {
        st.execute("INSERT INTO stock VALUES (" + i + ", 100000, 0, 100000)");
      }
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  /** Registers this worker and waits (60 s at most) until {@code workers} have, so their loads overlap. */
  static void awaitWorkers(String url, String worker, int workers) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      st.execute("INSERT INTO workers VALUES ('" + worker + "')");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (count(st, "SELECT COUNT(*) FROM workers") < workers) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the other workers never came");
        }
        Thread.sleep(5);
      }
    }
  }

  /** The ground truth, from the database's rows alone. */
  public static Map<String, Long> truth(Connection c) throws SQLException {
    Map<String, Long> t = new java.util.LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      t.put("placed", count(st, "SELECT COUNT(*) FROM orders"));
      t.put("writes", count(st, "SELECT SUM(version) FROM stock"));
      t.put("lostUpdates", count(st, "SELECT COUNT(*) FROM orders WHERE over_version <> read_version"));
      // The quantity each version left: version v+1 is the update of the order that replaced v.
      Map<String, Integer> qtyAt = new HashMap<>();
      try (ResultSet rs = st.executeQuery("SELECT stock_id, over_version, read_qty - quantity FROM orders")) {
        while (rs.next()) {
          qtyAt.put(rs.getLong(1) + "@" + (rs.getLong(2) + 1), rs.getInt(3));
        }
      }
      long erased = 0;
      try (ResultSet rs = st.executeQuery("SELECT o.stock_id, o.over_version, o.read_qty, s.initial_qty FROM orders o"
          + " JOIN stock s ON s.id = o.stock_id WHERE o.over_version <> o.read_version")) {
        while (rs.next()) {
          long over = rs.getLong(2);
          int current = over == 0 ? rs.getInt(4) : qtyAt.get(rs.getLong(1) + "@" + over);
          erased += rs.getInt(3) - current;
        }
      }
      t.put("unitsErased", erased);
      t.put("invariantMismatch", count(st, "SELECT COALESCE(SUM(ABS(COALESCE(o.units, 0) - (s.initial_qty - s.qty))), 0) FROM stock s"
          + " LEFT JOIN (SELECT stock_id, SUM(quantity) units FROM orders GROUP BY stock_id) o ON o.stock_id = s.id"));
      t.put("duplicates", 0L);  // order_id is the primary key: an order cannot be placed twice
    }
    return t;
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
