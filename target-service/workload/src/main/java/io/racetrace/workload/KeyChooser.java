package io.racetrace.workload;

import java.util.List;
import java.util.SplittableRandom;

/** Picks a sku per request from a seeded stream: Zipf by rank, a hot set, or uniform. */
final class KeyChooser {
  private final List<String> skus;
  private final double[] cdf; // cumulative probability by rank; null for uniform

  KeyChooser(List<String> skusByRank, WorkloadProfile.Keys keys) {
    this.skus = List.copyOf(skusByRank);
    int n = skus.size();
    switch (keys.distribution()) {
      case "zipf" -> {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
          w[i] = 1.0 / Math.pow(i + 1, keys.zipfExponent());
        }
        cdf = cumulative(w);
      }
      case "hot" -> {
        int hot = keys.hotKeys();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
          w[i] = i < hot
              ? keys.hotShare() / hot
              : (n == hot ? 0 : (1 - keys.hotShare()) / (n - hot));
        }
        cdf = cumulative(w);
      }
      default -> cdf = null;
    }
  }

  private static double[] cumulative(double[] w) {
    double total = 0;
    for (double v : w) {
      total += v;
    }
    double[] c = new double[w.length];
    double acc = 0;
    for (int i = 0; i < w.length; i++) {
      acc += w[i] / total;
      c[i] = acc;
    }
    c[w.length - 1] = 1.0; // no rounding gap at the top
    return c;
  }

  String next(SplittableRandom random) {
    if (cdf == null) {
      return skus.get(random.nextInt(skus.size()));
    }
    double u = random.nextDouble();
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) { // first rank whose cumulative probability exceeds u
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return skus.get(lo);
  }
}
