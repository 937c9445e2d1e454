package io.racetrace.target.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size JDBC connection pool: enough for this service, small enough to read in one go.
 *
 * <p>Every connection runs with auto-commit off at READ COMMITTED, the default of both H2 and
 * PostgreSQL. That is deliberate: SERIALIZABLE (or {@code SELECT ... FOR UPDATE}) would serialise
 * the unsafe read-modify-write and hide the very lost update the service exists to exhibit.
 *
 * <p>Concurrency: idle connections sit in a {@link BlockingQueue}; a lease is exclusive until
 * closed. Failure handling: a lease rolls back whatever its holder left open; a connection that
 * fails that rollback or is no longer valid is closed and replaced.
 */
public final class ConnectionPool implements AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();
  private final long borrowTimeoutMillis;
  private volatile boolean closed;

  public ConnectionPool(String url, String user, String password, int size, long borrowTimeoutMillis) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.idle = new ArrayBlockingQueue<>(size);
    this.borrowTimeoutMillis = borrowTimeoutMillis;
    try {
      for (int i = 0; i < size; i++) {
        Connection c = open();
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      close();
      throw new StorageException("cannot open " + size + " connections to " + url + ": " + e.getMessage(), e);
    }
  }

  private Connection open() throws SQLException {
    Connection c = DriverManager.getConnection(url, user, password);
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return c;
  }

  /** Borrows a connection; throws {@link StorageTimeoutException} if none frees up in time. */
  public Lease lease() {
    if (closed) {
      throw new StorageException("connection pool closed");
    }
    try {
      Connection c = idle.poll(borrowTimeoutMillis, TimeUnit.MILLISECONDS);
      if (c == null) {
        throw new StorageTimeoutException("no connection free within " + borrowTimeoutMillis + " ms");
      }
      return new Lease(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for a connection", e);
    }
  }

  private void giveBack(Connection c) {
    Connection back = c;
    try {
      c.rollback(); // no-op after a commit; undoes anything a failed request left behind
    } catch (SQLException e) {
      back = replace(c);
    }
    if (back != null && !idle.offer(back)) {
      closeQuietly(back);
    }
  }

  private synchronized Connection replace(Connection broken) {
    closeQuietly(broken);
    all.remove(broken);
    if (closed) {
      return null;
    }
    try {
      Connection fresh = open();
      all.add(fresh);
      return fresh;
    } catch (SQLException e) {
      return null; // pool shrinks by one; borrowers then time out rather than hang
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Connection c : all) {
      closeQuietly(c);
    }
    all.clear();
    idle.clear();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing a connection we are discarding anyway
    }
  }

  /** An exclusive connection; {@link #close()} returns it to the pool. */
  public final class Lease implements AutoCloseable {
    private final Connection connection;
    private boolean returned;

    private Lease(Connection connection) {
      this.connection = connection;
    }

    public Connection connection() {
      return connection;
    }

    @Override
    public void close() {
      if (!returned) {
        returned = true;
        giveBack(connection);
      }
    }
  }
}
