package io.racetrace.samples.foreign.bank;

import io.racetrace.samples.foreign.Clients;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bank on JDBC that knows nothing of racetrace. A withdrawal is one transaction on the calling
 * thread's connection: read the balance, check it, the fraud check, debit, enter it in the ledger,
 * commit. {@code racy}: the read takes no lock (two withdrawals can pass the check on one balance
 * and overdraw it, though the relative debit loses neither), a resent id is debited again, and one
 * withdrawal in 25 fails after its commit (the receipt step). {@code safe}: the read locks the row
 * ({@code FOR UPDATE}), a withdrawal id already done is answered from the receipts table, nothing
 * fails. Its books (the ground truth, with the database's): the units of every distinct
 * withdrawal it answered DONE, per account, and how many times it answered each id DONE.
 */
public final class Bank {
  private final String url;
  private final boolean safe;
  private final AccountDao dao = new AccountDao();
  private final ThreadLocal<Connection> connection;
  final Map<String, AtomicLong> confirmedUnits = new ConcurrentHashMap<>();
  final Map<String, Integer> doneAnswers = new ConcurrentHashMap<>();
  final AtomicLong replays = new AtomicLong();
  final AtomicLong failedAfterCommit = new AtomicLong();

  public Bank(String url, boolean safe) {
    this.url = url;
    this.safe = safe;
    this.connection = ThreadLocal.withInitial(this::connect);
  }

  Connection connect() {
    try {
      Connection c = DriverManager.getConnection(url, "sa", "");
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Receipt withdraw(Withdrawal w) throws SQLException {
    Connection c = connection.get();
    if (safe && dao.done(c, w.id())) {
      c.rollback();
      replays.incrementAndGet();
      return Receipt.DONE;
    }
    if (dao.balance(c, w.account(), safe) < w.amount()) {
      c.rollback();
      return Receipt.INSUFFICIENT;
    }
    Clients.work(20_000); // the fraud check
    dao.debit(c, w.account(), w.amount());
    dao.enter(c, "withdrawal", w.id(), w.account(), w.amount());
    if (safe) {
      dao.receipt(c, w.id());
    }
    c.commit();
    if (!safe && Math.floorMod(w.id().hashCode(), 25) == 0 && !doneAnswers.containsKey(w.id())) {
      failedAfterCommit.incrementAndGet();
      throw new ReceiptNotPrinted(w.id()); // the money has left; the client hears an error
    }
    if (doneAnswers.merge(w.id(), 1, Integer::sum) == 1) {
      confirmedUnits.computeIfAbsent(w.account(), k -> new AtomicLong()).addAndGet(w.amount());
    }
    return Receipt.DONE;
  }
}
