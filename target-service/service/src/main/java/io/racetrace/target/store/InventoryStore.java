package io.racetrace.target.store;

import io.racetrace.target.fault.Faults;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transactional key-value table {@code inventory(sku, quantity, version)} and the idempotency
 * table {@code reservations(request_id, ...)}, over plain JDBC (H2 or PostgreSQL).
 *
 * <p>{@link #read}, {@link #write} and {@link #compareAndSet} are the probe contract: the racetrace
 * agent instruments them by name to capture read and write versions, so keep their signatures.
 * They are also where the storage fault knobs act. Everything else here (snapshots, seeding,
 * reservation records) is fault-free and not part of the contract.
 *
 * <p>Concurrency: the store is stateless; callers own the connection and the transaction and
 * commit or roll back themselves. No method takes row locks beyond what its own UPDATE needs.
 */
public final class InventoryStore {
  static final String UNIQUE_VIOLATION = "23505"; // SQLSTATE, same in H2 and PostgreSQL

  private final Faults faults;

  public InventoryStore(Faults faults) {
    this.faults = faults;
  }

  /** Creates both tables if missing. Safe to race with another JVM doing the same. */
  public void createSchema(Connection c) {
    String[] ddl = {
      "CREATE TABLE IF NOT EXISTS inventory ("
          + "sku VARCHAR(64) PRIMARY KEY, quantity BIGINT NOT NULL, version BIGINT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS reservations ("
          + "request_id VARCHAR(128) PRIMARY KEY, sku VARCHAR(64) NOT NULL, quantity INT NOT NULL, "
          + "outcome VARCHAR(16) NOT NULL, version BIGINT NOT NULL)"
    };
    for (String sql : ddl) {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
        c.commit();
      } catch (SQLException e) {
        rollbackQuietly(c);
        // PostgreSQL: two JVMs creating the same table at once can fail one of them on the
        // catalog's unique index even with IF NOT EXISTS; the table exists either way.
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw new StorageException("schema creation failed: " + e.getMessage(), e);
        }
      }
    }
  }

  /**
   * The store read: the row for {@code sku}, or null if there is none. Plain {@code SELECT}, no
   * lock: the value can be stale by the time the caller writes. Fault knobs: may time out; the
   * read latency is added after the row was fetched.
   */
  public InventoryRow read(Connection c, String sku) {
    faults.maybeTimeout("read", sku);
    InventoryRow row = select(c, sku);
    faults.readLatency();
    return row;
  }

  /**
   * The unsafe blind write: {@code UPDATE inventory SET quantity=?, version=? WHERE sku=?}, whatever
   * the version is now. Returns the number of rows updated (1, or 0 if the sku vanished). Fault
   * knobs: may time out; the write latency is added before the statement runs.
   */
  public int write(Connection c, String sku, long newQuantity, long newVersion) {
    faults.maybeTimeout("write", sku);
    faults.writeLatency();
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE inventory SET quantity = ?, version = ? WHERE sku = ?")) {
      ps.setLong(1, newQuantity);
      ps.setLong(2, newVersion);
      ps.setString(3, sku);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("write of " + sku + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The conditional write: {@code UPDATE ... WHERE sku=? AND version=?}. True iff exactly one row
   * was updated, i.e. nobody wrote the row since the caller read {@code expectedVersion}. Same fault
   * knobs as {@link #write}.
   */
  public boolean compareAndSet(
      Connection c, String sku, long expectedVersion, long newQuantity, long newVersion) {
    faults.maybeTimeout("compareAndSet", sku);
    faults.writeLatency();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE inventory SET quantity = ?, version = ? WHERE sku = ? AND version = ?")) {
      ps.setLong(1, newQuantity);
      ps.setLong(2, newVersion);
      ps.setString(3, sku);
      ps.setLong(4, expectedVersion);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StorageException("compareAndSet of " + sku + " failed: " + e.getMessage(), e);
    }
  }

  /** Fault-free read for the inventory endpoints. */
  public InventoryRow snapshot(Connection c, String sku) {
    return select(c, sku);
  }

  /** Every row, ordered by sku. Fault-free. */
  public List<InventoryRow> snapshotAll(Connection c) {
    List<InventoryRow> rows = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT sku, quantity, version FROM inventory ORDER BY sku");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(new InventoryRow(rs.getString(1), rs.getLong(2), rs.getLong(3)));
      }
      return rows;
    } catch (SQLException e) {
      throw new StorageException("inventory scan failed: " + e.getMessage(), e);
    }
  }

  /** Per sku: how many CONFIRMED reservation records, and the units they took. */
  public Map<String, long[]> confirmedRecordsBySku(Connection c) {
    Map<String, long[]> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT sku, COUNT(*), COALESCE(SUM(quantity), 0) FROM reservations "
                    + "WHERE outcome = 'CONFIRMED' GROUP BY sku ORDER BY sku");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reservation scan failed: " + e.getMessage(), e);
    }
  }

  /** Deletes all inventory rows and reservation records. Caller commits. */
  public void clear(Connection c) {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM reservations");
      s.executeUpdate("DELETE FROM inventory");
    } catch (SQLException e) {
      throw new StorageException("clear failed: " + e.getMessage(), e);
    }
  }

  /**
   * Sets {@code sku} to {@code quantity} at version 0, inserting it if missing, and forgets its
   * reservation records: a seeded sku starts a fresh test phase. Caller commits.
   */
  public void seed(Connection c, String sku, long quantity) {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM reservations WHERE sku = ?");
        PreparedStatement upd =
            c.prepareStatement("UPDATE inventory SET quantity = ?, version = 0 WHERE sku = ?")) {
      del.setString(1, sku);
      del.executeUpdate();
      upd.setLong(1, quantity);
      upd.setString(2, sku);
      if (upd.executeUpdate() == 0) {
        try (PreparedStatement ins =
            c.prepareStatement("INSERT INTO inventory (sku, quantity, version) VALUES (?, ?, 0)")) {
          ins.setString(1, sku);
          ins.setLong(2, quantity);
          ins.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new StorageException("seeding " + sku + " failed: " + e.getMessage(), e);
    }
  }

  /** The first recorded outcome of {@code requestId}, or null. */
  public ReservationRecord findReservation(Connection c, String requestId) {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT request_id, sku, quantity, outcome, version FROM reservations WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new ReservationRecord(
            rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5));
      }
    } catch (SQLException e) {
      throw new StorageException("reservation lookup failed: " + e.getMessage(), e);
    }
  }

  /**
   * Records an outcome; throws {@link DuplicateRequestIdException} if the id is already recorded
   * (by a committed or a concurrent transaction; the database's primary key decides).
   */
  public void insertReservation(Connection c, ReservationRecord r) {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservations (request_id, sku, quantity, outcome, version) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, r.requestId());
      ps.setString(2, r.sku());
      ps.setInt(3, r.quantity());
      ps.setString(4, r.outcome());
      ps.setLong(5, r.version());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new DuplicateRequestIdException(r.requestId(), e);
      }
      throw new StorageException("recording " + r.requestId() + " failed: " + e.getMessage(), e);
    }
  }

  private static InventoryRow select(Connection c, String sku) {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT sku, quantity, version FROM inventory WHERE sku = ?")) {
      ps.setString(1, sku);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new InventoryRow(rs.getString(1), rs.getLong(2), rs.getLong(3)) : null;
      }
    } catch (SQLException e) {
      throw new StorageException("read of " + sku + " failed: " + e.getMessage(), e);
    }
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure is the one worth reporting
    }
  }
}
