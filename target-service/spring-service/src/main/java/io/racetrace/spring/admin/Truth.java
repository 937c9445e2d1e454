package io.racetrace.spring.admin;

import java.util.List;

/** {@code GET /truth}: every sku's {@link SkuTruth}, and the sums over them. */
public record Truth(List<SkuTruth> skus, long confirmedUnits, long mismatchUnits, long oversoldUnits) {
  static Truth of(List<SkuTruth> skus) {
    return new Truth(
        skus,
        skus.stream().mapToLong(SkuTruth::confirmedUnits).sum(),
        skus.stream().mapToLong(SkuTruth::mismatchUnits).sum(),
        skus.stream().mapToLong(SkuTruth::oversoldUnits).sum());
  }
}
