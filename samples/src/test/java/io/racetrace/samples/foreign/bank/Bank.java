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
 * fails. {@code rollback}: correct, with the idempotency of insert-first services: it locks the
 * read, debits, and inserts the receipt last; a resent id fails that insert (the receipt exists),
 * so its transaction rolls back and the answer is DONE from the first outcome; and one withdrawal
 * in 30 fails after its debit, before its commit (the ledger is unavailable), and rolls back: the
 * client hears an error, nothing was taken. Its books (the ground truth, with the database's): the
 * units of every distinct withdrawal it answered DONE, per account, and how many times it
 * answered each id DONE.
 */
public final class Bank {
  private final String url;
  private final boolean safe;
  private final boolean insertFirst;
  private final AccountDao dao = new AccountDao();
  private final ThreadLocal<Connection> connection;
  final Map<String, AtomicLong> confirmedUnits = new ConcurrentHashMap<>();
  final Map<String, Integer> doneAnswers = new ConcurrentHashMap<>();
  final AtomicLong replays = new AtomicLong();
  final AtomicLong failedAfterCommit = new AtomicLong();
  final AtomicLong rolledBack = new AtomicLong();

  public Bank(String url, boolean safe) {
    this(url, safe, false);
  }

  /** @param insertFirst the {@code rollback} variant: a locked read, the receipt inserted last, failures before commit */
  public Bank(String url, boolean safe, boolean insertFirst) {
    this.url = url;
    this.safe = safe;
    this.insertFirst = insertFirst;
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
    if (insertFirst) {
      return withdrawInsertFirst(w);
    }
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

  private Receipt withdrawInsertFirst(Withdrawal w) throws SQLException {
    Connection c = connection.get();
    if (dao.balance(c, w.account(), true) < w.amount()) {
      c.rollback();
      return Receipt.INSUFFICIENT;
    }
    Clients.work(20_000); // the fraud check
    dao.debit(c, w.account(), w.amount());
    dao.enter(c, "withdrawal", w.id(), w.account(), w.amount());
    if (Math.floorMod(w.id().hashCode() * 0x9E37_79B9, 30) == 1 && !doneAnswers.containsKey(w.id())) {
      c.rollback(); // the ledger is unavailable: nothing is taken
      rolledBack.incrementAndGet();
      throw new ReceiptNotPrinted(w.id());
    }
    try {
      dao.receipt(c, w.id());
    } catch (SQLException alreadyDone) {
      c.rollback(); // the id was done: undo this debit and answer from the first outcome
      rolledBack.incrementAndGet();
      replays.incrementAndGet();
      return Receipt.DONE;
    }
    c.commit();
    if (doneAnswers.merge(w.id(), 1, Integer::sum) == 1) {
      confirmedUnits.computeIfAbsent(w.account(), k -> new AtomicLong()).addAndGet(w.amount());
    }
    return Receipt.DONE;
  }
}
