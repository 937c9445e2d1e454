package io.racetrace.target;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A closed-loop burst of reservations on one sku from many client threads, with a share of request
 * ids sent twice at once, and the reconciliation of what the clients saw against the store.
 */
final class HotSkuLoad {
  /** What the clients saw, reconciled with the store. */
  record Result(
      long initial,
      long remaining,
      int confirmedIds,
      int duplicateConfirmations,
      Map<String, Integer> statusCounts,
      Map<String, Integer> outcomes,
      long recordedConfirmations) {
    long consumed() {
      return initial - remaining;
    }

    /** The seed's invariant: confirmed - (I0 - remaining); 0 when every confirmation took exactly one unit. */
    long mismatch() {
      return confirmedIds - consumed();
    }
  }

  static Result run(TestHttp http, String sku, long initial, int requests, int clients, int duplicateEvery)
      throws Exception {
    return run(List.of(http), sku, initial, requests, clients, duplicateEvery);
  }

  /** Spreads the sends round-robin over several instances that share one store. */
  static Result run(List<TestHttp> instances, String sku, long initial, int requests, int clients, int duplicateEvery)
      throws Exception {
    TestHttp http = instances.get(0);
    http.put("/admin/inventory", "{\"" + sku + "\":" + initial + "}");
    List<String> sends = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      sends.add("load-" + i);
      if (duplicateEvery > 0 && i % duplicateEvery == 0) {
        sends.add("load-" + i); // the same id again, racing the first copy
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<TestHttp.Resp>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < sends.size(); i++) {
        String id = sends.get(i);
        TestHttp via = instances.get(i % instances.size());
        futures.add(pool.submit(() -> via.reserve(id, sku)));
      }
      Map<String, Integer> status = new HashMap<>();
      Map<String, Integer> outcomes = new HashMap<>();
      Map<String, Integer> freshConfirmations = new HashMap<>();
      for (Future<TestHttp.Resp> f : futures) {
        TestHttp.Resp r = f.get();
        status.merge(String.valueOf(r.status()), 1, Integer::sum);
        if (r.outcome() != null) {
          outcomes.merge(r.outcome(), 1, Integer::sum);
          if (r.outcome().equals("CONFIRMED")) {
            int fresh = r.body().path("replayed").asBoolean() ? 0 : 1;
            freshConfirmations.merge(r.body().path("requestId").asText(), fresh, Integer::sum);
          }
        }
      }
      int dupConfirmations = 0;
      for (int n : freshConfirmations.values()) {
        dupConfirmations += Math.max(0, n - 1);
      }
      var state = http.get("/admin/inventory").body().path("skus").get(0);
      return new Result(
          initial,
          state.path("quantity").asLong(),
          freshConfirmations.size(),
          dupConfirmations,
          status,
          outcomes,
          state.path("recordedConfirmations").asLong());
    } finally {
      pool.shutdownNow();
    }
  }

  private HotSkuLoad() {}
}
