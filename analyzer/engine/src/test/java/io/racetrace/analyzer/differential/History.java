package io.racetrace.analyzer.differential;

import java.util.List;

/**
 * What the generator chooses, and all it chooses: a service shape, the initial stock of each key,
 * the requests in the order the clients send them, and the interleaving. Everything else (the
 * rows, the store's bookkeeping) follows deterministically from it in {@link Simulation}, so
 * shrinking this shrinks the history.
 *
 * @param initial the stock of each key before the run
 * @param requests orders and restocks, queued per thread in this order
 * @param schedule at each step, which runnable thread moves (index modulo the runnable ones); once
 *     it runs out, the first runnable thread moves
 */
public record History(Shape shape, List<Integer> initial, List<Req> requests, List<Integer> schedule) {

  /**
   * One client order (take {@code amount} of {@code key}), or a restock outside any request (add
   * {@code amount}).
   *
   * @param thread the service thread that takes it (an order's duplicate delivery goes to the next one)
   * @param duplicate the client sends the order twice (same request id)
   * @param failAfterWrite the service fails (5xx) after its successful write: the store changed, nothing confirmed
   * @param blankRead the read probe's getters give nothing for this request's reads (a null record
   *     or a throwing getter at run time): its read rows carry neither version nor value
   * @param rollback (with transaction probes) its transaction rolls back after its successful write:
   *     the store keeps nothing of it
   * @param lateCommitRow (with transaction probes) its commit takes effect a step before its COMMIT
   *     row leaves, as a driver's {@code commit()} returns after the database made the transaction
   *     visible: reads of other threads in between see the committed state
   */
  public record Req(boolean restock, int key, int amount, int thread, boolean duplicate, boolean failAfterWrite,
      boolean blankRead, boolean rollback, boolean lateCommitRow) {
    public Req(boolean restock, int key, int amount, int thread, boolean duplicate, boolean failAfterWrite,
        boolean blankRead) {
      this(restock, key, amount, thread, duplicate, failAfterWrite, blankRead, false, false);
    }

    Req withRollback(boolean r) {
      return new Req(restock, key, amount, thread, duplicate, failAfterWrite, blankRead, r, lateCommitRow);
    }

    Req withLateCommitRow(boolean late) {
      return new Req(restock, key, amount, thread, duplicate, failAfterWrite, blankRead, rollback, late);
    }

    @Override
    public String toString() {
      return (restock ? "restock +" : "order -") + amount + " k" + key + " t" + thread + (duplicate ? " dup" : "")
          + (failAfterWrite ? " fail-after-write" : "") + (blankRead ? " blank-read" : "") + (rollback ? " rollback" : "")
          + (lateCommitRow ? " late-commit-row" : "");
    }
  }

  @Override
  public String toString() {
    Simulation.Run run = Simulation.run(this);
    StringBuilder sb = new StringBuilder("\n").append(shape).append("\ninitial ").append(initial)
        .append("\nrequests ").append(requests).append("\nschedule ").append(schedule).append("\nprobe file:\n")
        .append(shape.probeFile()).append("rows (tick: row  | store after):\n");
    for (Row r : run.rows()) {
      sb.append("  ").append(r).append('\n');
    }
    return sb.append("truth: ").append(run.truth()).append('\n').toString();
  }
}
