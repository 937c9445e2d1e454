package io.racetrace.analyzer.differential;

import io.racetrace.analyzer.differential.Shape.Access;
import io.racetrace.analyzer.differential.Shape.Outcome;
import io.racetrace.analyzer.differential.Shape.VersionSource;
import io.racetrace.analyzer.differential.Shape.Versions;
import io.racetrace.analyzer.differential.Shape.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The generator of {@link History}s, from a seed, and the shrinker that makes a failing one
 * minimal. Every simplification goes towards the plainest history (fewer requests, a shorter
 * interleaving, amounts of 1, one thread and one worker, no duplicates or failures), so a failure
 * is reported as a small history of a plain shape.
 */
final class Histories {
  private Histories() {}

  static History random(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Shape s = Shape.of(pick(r, Versions.values()), r.nextBoolean(), pick(r, Write.values()), pick(r, Outcome.values()),
        pick(r, VersionSource.values()), pick(r, Access.values()), rarely(r, 25), r.nextInt(3) == 0, r.nextInt(4) != 0,
        r.nextBoolean(), 1 + r.nextInt(3), r.nextBoolean(), 1 + r.nextInt(4), r.nextInt(4) == 0 ? 2 : 1,
        1 + r.nextInt(3), 1 + r.nextInt(4), Shape.Amount.NONE);
    List<Integer> initial = new ArrayList<>();
    for (int k = 0; k < s.keys(); k++) {
      initial.add(r.nextInt(13));
    }
    List<History.Req> requests = new ArrayList<>();
    int n = 1 + r.nextInt(12);
    for (int i = 0; i < n; i++) {
      requests.add(new History.Req(rarely(r, 12), r.nextInt(s.keys()), 1 + r.nextInt(s.maxAmount()),
          r.nextInt(s.threads()), rarely(r, 10), rarely(r, 5), rarely(r, 5)));
    }
    List<Integer> schedule = new ArrayList<>();
    int steps = r.nextInt(151);
    for (int i = 0; i < steps; i++) {
      schedule.add(r.nextInt(8));
    }
    // Drawn last, so a seed makes the same history as before amounts existed but for the amount.
    int a = r.nextInt(10);
    s = s.with(a < 3 ? Shape.Amount.RELATIVE : a < 5 ? Shape.Amount.ALONGSIDE : Shape.Amount.NONE);
    // Transaction probes, drawn after everything else for the same reason: half the transactional
    // stores' probe files name commit and rollback, and then some transactions roll back.
    int b = r.nextInt(4);
    s = s.with(b == 0 ? Shape.Boundaries.IN_REQUEST : b == 1 ? Shape.Boundaries.AFTER_ANSWER : Shape.Boundaries.NONE);
    if (s.boundariesProbed()) {
      for (int i = 0; i < requests.size(); i++) {
        requests.set(i, requests.get(i).withRollback(!requests.get(i).restock() && rarely(r, 25)));
      }
      // Drawn after the rollbacks: commits whose COMMIT row leaves after other threads saw them.
      // Not for a relative write whose reads show only a stock: its row carries only the units,
      // so nothing ties a read of the committed stock to it (README, "Transactions": a documented
      // limit, where the analyzer takes such a read as of the state before the write).
      boolean tied = !s.relative() || s.readCarriesVersion();
      for (int i = 0; i < requests.size(); i++) {
        History.Req q = requests.get(i);
        requests.set(i, q.withLateCommitRow(tied && !q.restock() && !q.rollback() && rarely(r, 40)));
      }
    }
    return new History(s, initial, requests, schedule);
  }

  private static boolean rarely(SplittableRandom r, int percent) {
    return r.nextInt(100) < percent;
  }

  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  /**
   * Greedy shrinking: applies simplifications one at a time, keeping each that still fails,
   * until none does. {@code fails} must be deterministic (it is: the simulation and the analysis are).
   */
  static History shrink(History h, Predicate<History> fails) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (History c : simpler(h)) {
        if (fails.test(c)) {
          h = c;
          progress = true;
          break;
        }
      }
    }
    return h;
  }

  /** Candidate simplifications of {@code h}, the biggest first. */
  private static List<History> simpler(History h) {
    List<History> out = new ArrayList<>();
    List<History.Req> reqs = h.requests();
    for (int i = 0; i < reqs.size() && reqs.size() > 1; i++) {
      List<History.Req> fewer = new ArrayList<>(reqs);
      fewer.remove(i);
      out.add(new History(h.shape(), h.initial(), fewer, h.schedule()));
    }
    List<Integer> sched = h.schedule();
    if (!sched.isEmpty()) {
      out.add(new History(h.shape(), h.initial(), reqs, sched.subList(0, sched.size() / 2)));
      for (int i = 0; i < sched.size(); i++) {
        if (sched.get(i) != 0) {
          List<Integer> plainer = new ArrayList<>(sched);
          plainer.set(i, 0);
          out.add(new History(h.shape(), h.initial(), reqs, plainer));
        }
      }
    }
    for (int i = 0; i < reqs.size(); i++) {
      History.Req q = reqs.get(i);
      History.Req plain = new History.Req(q.restock(), q.key(), 1, 0, false, false, false);
      if (!plain.equals(q)) {
        List<History.Req> plainer = new ArrayList<>(reqs);
        plainer.set(i, plain);
        out.add(new History(h.shape(), h.initial(), plainer, sched));
      }
    }
    for (int k = 0; k < h.initial().size(); k++) {
      if (h.initial().get(k) > 0) {
        List<Integer> less = new ArrayList<>(h.initial());
        less.set(k, less.get(k) / 2);
        out.add(new History(h.shape(), less, reqs, sched));
      }
    }
    return out;
  }
}
