package io.racetrace.samples.foreign.stock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Plain JDBC. The database owns the version: every update bumps it ({@code version=version+1});
 * no caller passes the new version. Three writes, one per variant of the service: blind (row
 * count), conditional with a row count (0 = someone else wrote first), conditional with an
 * optimistic-lock exception.
 */
public final class StockDao {
  public Stock find(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT qty, version FROM stock WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no stock " + id);
        }
        return new Stock(id, rs.getInt(1), rs.getLong(2));
      }
    }
  }

  public int updateQty(Connection c, long id, int qty) throws SQLException {
    return update(c, "UPDATE stock SET qty = ?, version = version + 1 WHERE id = ?", qty, id, null);
  }

  public int updateQtyIfVersion(Connection c, long id, int qty, long version) throws SQLException {
    return update(c, "UPDATE stock SET qty = ?, version = version + 1 WHERE id = ? AND version = ?", qty, id, version);
  }

  public void updateQtyChecked(Connection c, long id, int qty, long version) throws SQLException {
    if (update(c, "UPDATE stock SET qty = ?, version = version + 1 WHERE id = ? AND version = ?", qty, id, version) == 0) {
      throw new StaleStockException(id, version);
    }
  }

  private static int update(Connection c, String sql, int qty, long id, Long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, qty);
      ps.setLong(2, id);
      if (version != null) {
        ps.setLong(3, version);
      }
      return ps.executeUpdate();
    }
  }

  /** The row's version as this transaction sees it (after its own update: the version it made). */
  long versionNow(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM stock WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The order, in the same transaction as its stock update: the database's own record of what it confirmed. */
  void recordOrder(Connection c, String orderId, long stockId, int quantity, Stock read, long overVersion)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO orders(order_id, stock_id, quantity, read_version, read_qty, over_version) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, orderId);
      ps.setLong(2, stockId);
      ps.setInt(3, quantity);
      ps.setLong(4, read.getVersion());
      ps.setInt(5, read.getQty());
      ps.setLong(6, overVersion);
      ps.executeUpdate();
    }
  }
}
