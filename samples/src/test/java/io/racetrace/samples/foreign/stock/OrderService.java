package io.racetrace.samples.foreign.stock;

import io.racetrace.samples.foreign.Clients;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An order service on JDBC that knows nothing of racetrace. Each order is one transaction on the
 * calling thread's connection: read the stock row, check, price it, update, record the order,
 * commit. {@code racy}: the blind update. {@code rowcount}: the update conditional on the version
 * read, a row count of 0 rolls back and retries (3 attempts, then RETRY_LATER). {@code exception}:
 * the same, the conflict signalled by {@link StaleStockException}. The database is the ground
 * truth: each order row holds the version its transaction read and the version its update
 * replaced (the transaction reads its own update back before the commit).
 */
public final class OrderService {
  static final int ATTEMPTS = 3;

  private final String url;
  private final String variant;
  private final StockDao dao = new StockDao();
  private final ThreadLocal<Connection> connection;
  final AtomicLong conflicts = new AtomicLong();
  final AtomicLong retryLater = new AtomicLong();

  public OrderService(String url, String variant) {
    this.url = url;
    this.variant = variant;
    this.connection = ThreadLocal.withInitial(this::connect);
  }

  private Connection connect() {
    try {
      Connection c = DriverManager.getConnection(url, "sa", "");
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public OrderResult placeOrder(OrderRequest req) throws SQLException {
    Connection c = connection.get();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Stock s = dao.find(c, req.getStockId());
      if (s.getQty() < req.getQuantity()) {
        c.rollback();
        return OrderResult.OUT_OF_STOCK;
      }
      Clients.work(20_000);  // pricing
      int left = s.getQty() - req.getQuantity();
      boolean written;
      switch (variant) {
        case "racy" -> written = dao.updateQty(c, s.getId(), left) == 1;
        case "rowcount" -> written = dao.updateQtyIfVersion(c, s.getId(), left, s.getVersion()) == 1;
        case "exception" -> {
          try {
            dao.updateQtyChecked(c, s.getId(), left, s.getVersion());
            written = true;
          } catch (StaleStockException e) {
            written = false;
          }
        }
        default -> throw new IllegalArgumentException(variant);
      }
      if (!written) {
        conflicts.incrementAndGet();
        c.rollback();
        continue;
      }
      dao.recordOrder(c, req.getOrderId(), s.getId(), req.getQuantity(), s, dao.versionNow(c, s.getId()) - 1);
      c.commit();
      return OrderResult.PLACED;
    }
    retryLater.incrementAndGet();
    return OrderResult.RETRY_LATER;
  }
}
