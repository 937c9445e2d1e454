package io.racetrace.samples.foreign.ledger;

import io.racetrace.samples.foreign.Clients;
import io.racetrace.samples.foreign.Truth;

/**
 * The ledger under load: {@code --threads} clients withdraw 1..5 units from {@code --accounts}
 * accounts; one withdrawal in 20 that was DONE is sent again with the same id (the client lost the
 * answer). Prints the ledger's and the store's books as the ground truth.
 * <pre>java ... LedgerMain --variant racy|safe [--threads 8] [--requests 2000] [--accounts 32]</pre>
 */
public final class LedgerMain {
  public static void main(String[] args) throws Exception {
    String variant = Clients.arg(args, "variant", "racy");
    int threads = Clients.intArg(args, "threads", 8);
    int perThread = Clients.intArg(args, "requests", 2000);
    int nAccounts = Clients.intArg(args, "accounts", 32);
    long seed = Clients.intArg(args, "seed", 1);
    Accounts accounts = new Accounts();
    for (int a = 0; a < nAccounts; a++) {
      accounts.open("acct-" + a, 1_000_000);
    }
    Ledger ledger = new Ledger(accounts, variant.equals("safe"), 20_000);
    long[] resent = new long[threads];
    long t0 = System.nanoTime();
    Clients.run(threads, perThread, seed, (t, i, rnd) -> {
      Withdrawal w = new Withdrawal("w-" + t + "-" + i, "acct-" + rnd.nextInt(nAccounts), 1 + rnd.nextInt(5));
      if (ledger.withdraw(w) == Receipt.DONE && rnd.nextInt(20) == 0) {
        resent[t]++;
        ledger.withdraw(w);
      }
    });
    long mismatch = 0;
    for (var e : accounts.rows().entrySet()) {
      var units = ledger.confirmedUnits.get(e.getKey());
      long confirmed = units == null ? 0 : units.get();
      mismatch += Math.abs(confirmed - (accounts.initial(e.getKey()) - e.getValue().balance()));
    }
    long duplicates = ledger.debits.values().stream().mapToLong(n -> n - 1).sum();
    long resends = 0;
    for (long r : resent) {
      resends += r;
    }
    new Truth()
        .put("variant", variant)
        .put("requests", (long) threads * perThread + resends)
        .put("resends", resends)
        .put("writes", accounts.writes())
        .put("lostUpdates", accounts.staleWrites())
        .put("staleRevisionsErased", accounts.staleRevisionsErased())
        .put("unitsErased", accounts.unitsErased())
        .put("staleWrites64", accounts.staleWrites64())
        .put("maxStaleness", accounts.maxStaleness())
        .put("invariantMismatch", mismatch)
        .put("duplicates", duplicates)
        .put("replays", ledger.replays.get())
        .put("casFailures", accounts.casFailures())
        .put("conflictResponses", ledger.conflicts.get())
        .put("attempts", ledger.attempts.get())
        .put("seconds", (System.nanoTime() - t0) / 1e9)
        .print();
  }
}
