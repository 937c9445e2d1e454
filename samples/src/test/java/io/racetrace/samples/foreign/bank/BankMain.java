package io.racetrace.samples.foreign.bank;

import io.racetrace.samples.foreign.Clients;
import io.racetrace.samples.foreign.Truth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bank on embedded H2 under load: {@code --threads} clients withdraw 1..5 units from
 * {@code --accounts} accounts of 1,000 units; one withdrawal in 20 that was DONE is sent again with
 * the same id (the client lost the answer); meanwhile an admin thread, outside any request,
 * charges fees of 1..3 units through the same debit. Prints the ground truth from the bank's books
 * and the database's own ledger.
 * <pre>java ... BankMain --variant racy|safe|rollback [--threads 8] [--requests 500] [--accounts 16] [--fees 200]</pre>
 */
public final class BankMain {
  static final long OPENING_BALANCE = 1_000;

  public static void main(String[] args) throws Exception {
    String variant = Clients.arg(args, "variant", "racy");
    int threads = Clients.intArg(args, "threads", 8);
    int perThread = Clients.intArg(args, "requests", 500);
    int accounts = Clients.intArg(args, "accounts", 16);
    int fees = Clients.intArg(args, "fees", 200);
    String url = "jdbc:h2:mem:bank;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      setup(c, accounts);
    }
    Bank bank = new Bank(url, variant.equals("safe"), variant.equals("rollback"));
    AtomicLong resends = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Thread admin = new Thread(() -> chargeFees(bank, accounts, fees), "admin-fees");
    long t0 = System.nanoTime();
    admin.start();
    Clients.run(threads, perThread, 1, (t, i, rnd) -> {
      Withdrawal w = new Withdrawal("w-" + t + "-" + i, "acct-" + rnd.nextInt(accounts), 1 + rnd.nextInt(5));
      if (withdraw(bank, w, errors) == Receipt.DONE && rnd.nextInt(20) == 0) {
        resends.incrementAndGet();
        withdraw(bank, w, errors);
      }
    });
    admin.join();
    Truth truth = new Truth().put("variant", variant).put("requests", (long) threads * perThread + resends.get())
        .put("resends", resends.get()).put("errors", errors.get()).put("failedAfterCommit", bank.failedAfterCommit.get())
        .put("replays", bank.replays.get()).put("rolledBack", bank.rolledBack.get());
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      truth(c, bank).forEach(truth::put);
    }
    truth.put("seconds", (System.nanoTime() - t0) / 1e9).print();
  }

  /** A withdrawal as the client sees it: a receipt, or an error it counts and moves on from. */
  private static Receipt withdraw(Bank bank, Withdrawal w, AtomicLong errors) throws SQLException {
    try {
      return bank.withdraw(w);
    } catch (ReceiptNotPrinted e) {
      errors.incrementAndGet();
      return null;
    }
  }

  /** The admin's fees, each its own transaction (the debit's row leaves before its commit, as a withdrawal's). */
  private static void chargeFees(Bank bank, int accounts, int fees) {
    Random rnd = new Random(7);
    AccountDao dao = new AccountDao();
    try (Connection c = bank.connect()) {
      for (int i = 0; i < fees; i++) {
        String account = "acct-" + rnd.nextInt(accounts);
        long fee = 1 + rnd.nextInt(3);
        dao.debit(c, account, fee);
        dao.enter(c, "fee", null, account, fee);
        c.commit();
        Clients.work(100_000);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void setup(Connection c, int accounts) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE account(id VARCHAR(32) PRIMARY KEY, balance BIGINT NOT NULL, opening BIGINT NOT NULL)");
      st.execute("CREATE TABLE debits(kind VARCHAR(16) NOT NULL, request_id VARCHAR(64), account VARCHAR(32) NOT NULL,"
          + " amount BIGINT NOT NULL)");
      st.execute("CREATE TABLE receipts(request_id VARCHAR(64) PRIMARY KEY)");
      for (int a = 0; a < accounts; a++) {
        st.execute("INSERT INTO account VALUES ('acct-" + a + "', " + OPENING_BALANCE + ", " + OPENING_BALANCE + ")");
      }
    }
  }

  /**
   * The ground truth: from the database, each account's opening and closing balance and its
   * ledger of debits (withdrawals, fees); from the bank's books, the units of the distinct
   * withdrawals it confirmed and how often it confirmed each id.
   */
  static Map<String, Object> truth(Connection c, Bank bank) throws SQLException {
    Map<String, Object> t = new java.util.LinkedHashMap<>();
    long mismatch = 0;
    long unitsLost = 0;
    long overdrawn = 0;
    long confirmed = 0;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT a.id, a.opening, a.balance,"
            + " COALESCE((SELECT SUM(amount) FROM debits d WHERE d.account = a.id AND d.kind = 'withdrawal'), 0),"
            + " COALESCE((SELECT SUM(amount) FROM debits d WHERE d.account = a.id AND d.kind = 'fee'), 0) FROM account a")) {
      while (rs.next()) {
        long opening = rs.getLong(2);
        long closing = rs.getLong(3);
        long withdrawn = rs.getLong(4);
        long feesTaken = rs.getLong(5);
        AtomicLong units = bank.confirmedUnits.get(rs.getString(1));
        long confirmedHere = units == null ? 0 : units.get();
        confirmed += confirmedHere;
        // What the confirmations account for against what left the account but for the fees.
        mismatch += Math.abs(confirmedHere - (opening - feesTaken - closing));
        // A relative debit applies to whatever balance is there: the ledger and the balance agree.
        unitsLost += Math.abs(opening - withdrawn - feesTaken - closing);
        overdrawn += closing < 0 ? 1 : 0;
      }
    }
    t.put("confirmedUnits", confirmed);
    t.put("invariantMismatch", mismatch);
    t.put("unitsLost", unitsLost);
    t.put("overdrawnAccounts", overdrawn);
    t.put("duplicates", bank.doneAnswers.values().stream().mapToLong(n -> n - 1).sum());
    t.put("withdrawalDebits", count(c, "SELECT COUNT(*) FROM debits WHERE kind = 'withdrawal'"));
    t.put("fees", count(c, "SELECT COUNT(*) FROM debits WHERE kind = 'fee'"));
    return t;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
