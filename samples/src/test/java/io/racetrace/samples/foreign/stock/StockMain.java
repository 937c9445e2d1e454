package io.racetrace.samples.foreign.stock;

import io.racetrace.samples.foreign.Clients;
import io.racetrace.samples.foreign.Truth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The order service on embedded H2 under load: {@code --threads} clients order 1..3 units of
 * {@code --items} stock items. Then reads the ground truth from the database: orders whose update
 * replaced another version than the one read (lost updates), units those erased, and per item the
 * units ordered against what left the stock (the invariant).
 * <pre>java ... StockMain --variant racy|rowcount|exception [--threads 8] [--requests 500] [--items 8]</pre>
 */
public final class StockMain {
  public static void main(String[] args) throws Exception {
    String variant = Clients.arg(args, "variant", "racy");
    int threads = Clients.intArg(args, "threads", 8);
    int perThread = Clients.intArg(args, "requests", 500);
    int items = Clients.intArg(args, "items", 8);
    long seed = Clients.intArg(args, "seed", 1);
    String url = Clients.arg(args, "url", "jdbc:h2:mem:stock;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE stock(id BIGINT PRIMARY KEY, qty INT NOT NULL, version BIGINT NOT NULL, initial_qty INT NOT NULL)");
      st.execute("CREATE TABLE orders(order_id VARCHAR(64) PRIMARY KEY, stock_id BIGINT NOT NULL, quantity INT NOT NULL,"
          + " read_version BIGINT NOT NULL, read_qty INT NOT NULL, over_version BIGINT NOT NULL)");
      for (int i = 1; i <= items; i++) {
        st.execute("INSERT INTO stock VALUES (" + i + ", 100000, 0, 100000)");
      }
    }
    OrderService service = new OrderService(url, variant);
    long t0 = System.nanoTime();
    Clients.run(threads, perThread, seed, (t, i, rnd) ->
        service.placeOrder(new OrderRequest("o-" + t + "-" + i, 1 + rnd.nextInt(items), 1 + rnd.nextInt(3))));
    double seconds = (System.nanoTime() - t0) / 1e9;

    Truth truth = new Truth().put("variant", variant).put("requests", (long) threads * perThread);
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      long placed = count(st, "SELECT COUNT(*) FROM orders");
      long lost = count(st, "SELECT COUNT(*) FROM orders WHERE over_version <> read_version");
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
      long mismatch = count(st, "SELECT COALESCE(SUM(ABS(COALESCE(o.units, 0) - (s.initial_qty - s.qty))), 0) FROM stock s"
          + " LEFT JOIN (SELECT stock_id, SUM(quantity) units FROM orders GROUP BY stock_id) o ON o.stock_id = s.id");
      long writes = count(st, "SELECT SUM(version) FROM stock");
      truth.put("placed", placed).put("writes", writes).put("lostUpdates", lost).put("unitsErased", erased)
          .put("invariantMismatch", mismatch).put("duplicates", 0);
    }
    truth.put("conflicts", service.conflicts.get()).put("conflictResponses", service.retryLater.get())
        .put("seconds", seconds).print();
  }

  private static long count(Statement st, String sql) throws java.sql.SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
