package io.racetrace.samples.foreign.ledger;

import io.racetrace.samples.foreign.Clients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ledger service that knows nothing of racetrace. {@code racy}: read the account, check the
 * funds, write the new balance blind. {@code safe}: the write is conditional on the revision read,
 * retried from a fresh read up to 3 attempts (then CONFLICT), and a withdrawal id already done is
 * answered from its receipt without a second debit. Its books (the ground truth): the units of
 * every distinct withdrawal it confirmed, per account; and how many times each id was debited.
 */
public final class Ledger {
  static final int ATTEMPTS = 3;

  private final Accounts accounts;
  private final boolean safe;
  private final long workNanos;
  private final Map<String, Receipt> receipts = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> confirmedUnits = new ConcurrentHashMap<>();
  final Map<String, Integer> debits = new ConcurrentHashMap<>();
  final AtomicLong conflicts = new AtomicLong();
  final AtomicLong replays = new AtomicLong();
  final AtomicLong attempts = new AtomicLong();

  public Ledger(Accounts accounts, boolean safe, long workNanos) {
    this.accounts = accounts;
    this.safe = safe;
    this.workNanos = workNanos;
  }

  public Receipt withdraw(Withdrawal w) {
    if (safe) {
      Receipt done = receipts.get(w.id());
      if (done != null) {
        replays.incrementAndGet();
        return done;
      }
    }
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      attempts.incrementAndGet();
      Account a = accounts.get(w.account());
      if (a.balance() < w.amount()) {
        return Receipt.INSUFFICIENT;
      }
      Clients.work(workNanos);  // the fraud check
      long left = a.balance() - w.amount();
      if (!safe) {
        accounts.setBalance(a.id(), left);
        return done(w);
      }
      if (accounts.setBalanceIf(a.id(), a.revision(), left)) {
        return done(w);
      }
    }
    conflicts.incrementAndGet();
    return Receipt.CONFLICT;
  }

  private Receipt done(Withdrawal w) {
    if (debits.merge(w.id(), 1, Integer::sum) == 1) {
      confirmedUnits.computeIfAbsent(w.account(), k -> new AtomicLong()).addAndGet(w.amount());
    }
    receipts.put(w.id(), Receipt.DONE);
    return Receipt.DONE;
  }
}
