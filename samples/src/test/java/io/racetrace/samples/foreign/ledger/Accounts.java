package io.racetrace.samples.foreign.ledger;

import java.util.HashMap;
import java.util.Map;

/**
 * The ledger's store, in memory, one lock for the lot (each call is atomic, like a statement).
 * The store owns the revision: both writes bump it, neither takes it from the caller. Besides the
 * rows it keeps its own books, the ground truth of the tests: which revision each thread last read
 * of each account, and so how many writes were applied over a revision that was no longer current,
 * and how many writes old that revision was, and how many units they erased.
 */
public final class Accounts {
  private final Map<String, Account> rows = new HashMap<>();
  private final Map<String, Long> initial = new HashMap<>();
  private final ThreadLocal<Map<String, Account>> readBy = ThreadLocal.withInitial(HashMap::new);
  private long writes;
  private long staleWrites;
  private long staleRevisionsErased;
  private long unitsErased;
  private long staleWrites64;
  private long maxStaleness;
  private long casFailures;

  public synchronized void open(String id, long balance) {
    rows.put(id, new Account(id, balance, 0));
    initial.put(id, balance);
  }

  public synchronized Account get(String id) {
    Account a = rows.get(id);
    readBy.get().put(id, a);
    return a;
  }

  /** The blind write: sets the balance, whatever happened since the caller read it. */
  public synchronized void setBalance(String id, long balance) {
    Account cur = rows.get(id);
    judge(cur);
    rows.put(id, new Account(id, balance, cur.revision() + 1));
  }

  /** The conditional write: only if the account is still at {@code expectedRevision}. */
  public synchronized boolean setBalanceIf(String id, long expectedRevision, long balance) {
    Account cur = rows.get(id);
    if (cur.revision() != expectedRevision) {
      casFailures++;
      return false;
    }
    judge(cur);
    rows.put(id, new Account(id, balance, cur.revision() + 1));
    return true;
  }

  private void judge(Account cur) {
    writes++;
    Account read = readBy.get().get(cur.id());
    if (read == null) {
      throw new IllegalStateException("a write of " + cur.id() + " without a read on this thread");
    }
    long behind = cur.revision() - read.revision();
    if (behind != 0) {
      staleWrites++;
      unitsErased += read.balance() - cur.balance();
      staleRevisionsErased += behind;
      maxStaleness = Math.max(maxStaleness, behind);
      if (behind >= 64) {
        staleWrites64++;
      }
    }
  }

  synchronized Map<String, Account> rows() {
    return new HashMap<>(rows);
  }

  synchronized long initial(String id) {
    return initial.get(id);
  }

  synchronized long writes() { return writes; }
  synchronized long staleWrites() { return staleWrites; }
  synchronized long staleRevisionsErased() { return staleRevisionsErased; }
  synchronized long unitsErased() { return unitsErased; }
  synchronized long staleWrites64() { return staleWrites64; }
  synchronized long maxStaleness() { return maxStaleness; }
  synchronized long casFailures() { return casFailures; }
}
