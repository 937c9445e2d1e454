package io.racetrace.spring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Many clients on one hot sku: {@code requests} reservations of 1..3 units (seeded), sent by
 * {@code threads} threads at once, each with a fresh request id. Returns every answer, in order.
 */
final class ReservationLoad {
  /** One request and its answer. */
  record Sent(String requestId, int units, TestHttp.Answer answer) {
    String status() {
      return answer.text("status");
    }
  }

  /** The answers of a run, and what they add up to. */
  record Result(List<Sent> sent) {
    long count(Predicate<Sent> p) {
      return sent.stream().filter(p).count();
    }

    long confirmed() {
      return count(s -> s.answer().status() == 200);
    }

    long confirmedUnits() {
      return sent.stream().filter(s -> s.answer().status() == 200).mapToLong(Sent::units).sum();
    }

    long withStatus(String status) {
      return count(s -> s.status().equals(status));
    }

    @Override
    public String toString() {
      return "requests=" + sent.size() + " confirmed=" + confirmed() + " confirmedUnits=" + confirmedUnits()
          + " soldOut=" + withStatus("SOLD_OUT") + " conflict=" + withStatus("CONFLICT");
    }
  }

  private ReservationLoad() {}

  static Result run(TestHttp http, String path, String sku, int requests, int threads, long seed) throws Exception {
    Random random = new Random(seed);
    List<int[]> plan = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      plan.add(new int[] {i, 1 + random.nextInt(3)});
    }
    return send(http, path, sku, plan, i -> sku + "-" + seed + "-" + i, threads);
  }

  /** Sends {@code plan} ({index, units} pairs) with ids from {@code idOf}, on {@code threads} threads. */
  static Result send(TestHttp http, String path, String sku, List<int[]> plan,
      IntFunction<String> idOf, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Sent>> futures = new ArrayList<>();
      for (int[] p : plan) {
        String id = idOf.apply(p[0]);
        futures.add(pool.submit(() -> new Sent(id, p[1], http.reserve(path, id, sku, p[1]))));
      }
      List<Sent> sent = new ArrayList<>();
      for (Future<Sent> f : futures) {
        sent.add(f.get(5, TimeUnit.MINUTES)); // a hang guard, not a timed assertion
      }
      return new Result(Collections.unmodifiableList(sent));
    } finally {
      pool.shutdownNow();
    }
  }
}
