package io.racetrace.workload;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload, as read from a profile file (JSON or YAML). Absent fields take the defaults below;
 * {@link #normalized()} fills them in, and the fingerprint is computed over that normalized form,
 * so two files that mean the same workload hash the same.
 *
 * @param seed fixes request ids, skus, arrival times and duplicate choices
 * @param ratePerSecond base arrival rate (default 900, the validation plan's peak)
 * @param arrival {@code uniform} (fixed interval, default) or {@code poisson}
 * @param inventory explicit sku to I0, in popularity order (first = rank 1); if absent, {@code skuCount} skus {@code sku-1..n} with
 *     {@code initialQuantity} each
 * @param keys which sku each request takes
 * @param bursts periodic rate multiplier, or null for none
 * @param duplicateShare share of request ids sent twice at the same instant
 * @param faults service fault knobs to set through the admin endpoint before the run, or null
 * @param restartWorkersAtSeconds offsets at which the driver asks each target to restart its workers
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadProfile(
    String name,
    String description,
    Long seed,
    Double ratePerSecond,
    Double durationSeconds,
    String arrival,
    Map<String, Long> inventory,
    Integer skuCount,
    Long initialQuantity,
    Keys keys,
    Integer quantity,
    Bursts bursts,
    Double duplicateShare,
    Client client,
    Map<String, Double> faults,
    List<Double> restartWorkersAtSeconds) {

  /** Key popularity: {@code zipf} (exponent), {@code hot} (hotKeys get hotShare), or {@code uniform}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Keys(String distribution, Double zipfExponent, Integer hotKeys, Double hotShare) {}

  /** Every {@code everySeconds}, the rate is multiplied by {@code multiplier} for {@code lengthSeconds}. */
  public record Bursts(double everySeconds, double lengthSeconds, double multiplier) {}

  /**
   * Client behaviour: per-attempt timeout, retries (same request id) on timeout, transport error or
   * 5xx, backoff between them, and {@code maxInFlight}: the number of sender threads, i.e. requests
   * in flight at once. Beyond it a request waits in the client's queue, and the wait counts in its
   * latency, which is measured from the intended time.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Client(Integer timeoutMs, Integer maxRetries, Integer retryBackoffMs, Integer maxInFlight) {}

  /** This profile with every default filled in and every value checked. */
  public WorkloadProfile normalized() {
    long s = seed != null ? seed : 1L;
    double rate = ratePerSecond != null ? ratePerSecond : 900.0;
    double dur = durationSeconds != null ? durationSeconds : 60.0;
    String arr = arrival != null ? arrival : "uniform";
    Map<String, Long> inv = inventory;
    if (inv == null) {
      int n = skuCount != null ? skuCount : 20;
      long q = initialQuantity != null ? initialQuantity : 2_000L;
      check(n >= 1 && n <= 100_000, "skuCount must be in [1, 100000]");
      inv = new LinkedHashMap<>();
      for (int i = 1; i <= n; i++) {
        inv.put("sku-" + i, q);
      }
    }
    Keys k = keys != null ? keys : new Keys("zipf", null, null, null);
    String dist = k.distribution() != null ? k.distribution() : "zipf";
    k = switch (dist) {
      case "zipf" -> new Keys(dist, k.zipfExponent() != null ? k.zipfExponent() : 1.1, null, null);
      case "hot" -> new Keys(dist, null, k.hotKeys() != null ? k.hotKeys() : 1, k.hotShare() != null ? k.hotShare() : 0.5);
      case "uniform" -> new Keys(dist, null, null, null);
      default -> throw new IllegalArgumentException("keys.distribution must be zipf, hot or uniform, got " + dist);
    };
    Client c = client != null ? client : new Client(null, null, null, null);
    c = new Client(
        c.timeoutMs() != null ? c.timeoutMs() : 2_000,
        c.maxRetries() != null ? c.maxRetries() : 2,
        c.retryBackoffMs() != null ? c.retryBackoffMs() : 50,
        c.maxInFlight() != null ? c.maxInFlight() : 256);
    WorkloadProfile p = new WorkloadProfile(
        name != null ? name : "unnamed",
        description,
        s,
        rate,
        dur,
        arr,
        // Order matters (it is the popularity rank) and is part of the fingerprint: keep it.
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inv)),
        null,
        null,
        k,
        quantity != null ? quantity : 1,
        bursts,
        duplicateShare != null ? duplicateShare : 0.0,
        c,
        faults == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(faults)),
        restartWorkersAtSeconds == null ? List.of() : List.copyOf(restartWorkersAtSeconds));
    p.validate();
    return p;
  }

  private void validate() {
    check(ratePerSecond > 0 && ratePerSecond <= 100_000, "ratePerSecond must be in (0, 100000]");
    check(durationSeconds > 0 && durationSeconds <= 86_400, "durationSeconds must be in (0, 86400]");
    check(arrival.equals("uniform") || arrival.equals("poisson"), "arrival must be uniform or poisson");
    check(!inventory.isEmpty(), "inventory must name at least one sku");
    inventory.forEach((sku, q) -> check(q != null && q >= 0, "inventory of " + sku + " must be >= 0"));
    check(quantity >= 1 && quantity <= 1_000, "quantity must be in [1, 1000]");
    check(duplicateShare >= 0 && duplicateShare <= 1, "duplicateShare must be in [0, 1]");
    if (keys.distribution().equals("zipf")) {
      check(keys.zipfExponent() >= 0 && keys.zipfExponent() <= 10, "zipfExponent must be in [0, 10]");
    }
    if (keys.distribution().equals("hot")) {
      check(keys.hotKeys() >= 1 && keys.hotKeys() <= inventory.size(), "hotKeys must be in [1, number of skus]");
      check(keys.hotShare() >= 0 && keys.hotShare() <= 1, "hotShare must be in [0, 1]");
    }
    if (bursts != null) {
      check(bursts.everySeconds() > 0 && bursts.lengthSeconds() >= 0
          && bursts.lengthSeconds() <= bursts.everySeconds(), "bursts: 0 <= lengthSeconds <= everySeconds");
      check(bursts.multiplier() > 0 && bursts.multiplier() <= 100, "bursts.multiplier must be in (0, 100]");
    }
    check(client.timeoutMs() >= 1 && client.maxRetries() >= 0 && client.maxRetries() <= 20
        && client.retryBackoffMs() >= 0 && client.maxInFlight() >= 1, "client settings out of range");
    for (double t : restartWorkersAtSeconds) {
      check(t >= 0 && t <= durationSeconds, "restartWorkersAtSeconds must lie within the run");
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("profile: " + message);
    }
  }

  /** A copy with another seed (and the other values kept). */
  public WorkloadProfile withSeed(long newSeed) {
    return new WorkloadProfile(name, description, newSeed, ratePerSecond, durationSeconds, arrival, inventory,
        skuCount, initialQuantity, keys, quantity, bursts, duplicateShare, client, faults, restartWorkersAtSeconds);
  }

  /** A copy with another rate and/or duration (null keeps the value). */
  public WorkloadProfile withRateAndDuration(Double rate, Double duration) {
    return new WorkloadProfile(name, description, seed, rate != null ? rate : ratePerSecond,
        duration != null ? duration : durationSeconds, arrival, inventory, skuCount, initialQuantity, keys,
        quantity, bursts, duplicateShare, client, faults, restartWorkersAtSeconds);
  }
}
