package io.racetrace.samples.foreign.bank;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Plain JDBC on the caller's transaction. The debit is relative ({@code balance = balance - ?})
 * and returns nothing: no row of it says what balance it left, only what it took. Every debit is
 * also entered in the {@code debits} table in the same transaction: the database's own ledger.
 */
public final class AccountDao {
  /** The balance, locked for the transaction with {@code lock} ({@code FOR UPDATE}). */
  public long balance(Connection c, String account, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM account WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, account);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no account " + account);
        }
        return rs.getLong(1);
      }
    }
  }

  public void debit(Connection c, String account, long amount) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE account SET balance = balance - ? WHERE id = ?")) {
      ps.setLong(1, amount);
      ps.setString(2, account);
      ps.executeUpdate();
    }
  }

  /** The ledger line of a debit: {@code kind} is {@code withdrawal} (with its request id) or {@code fee}. */
  void enter(Connection c, String kind, String requestId, String account, long amount) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO debits(kind, request_id, account, amount) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, kind);
      ps.setString(2, requestId);
      ps.setString(3, account);
      ps.setLong(4, amount);
      ps.executeUpdate();
    }
  }

  /** Whether a withdrawal id was done already (the safe bank's idempotency table). */
  boolean done(Connection c, String requestId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM receipts WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  void receipt(Connection c, String requestId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO receipts(request_id) VALUES (?)")) {
      ps.setString(1, requestId);
      ps.executeUpdate();
    }
  }
}
