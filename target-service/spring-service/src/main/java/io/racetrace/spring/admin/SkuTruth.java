package io.racetrace.spring.admin;

/**
 * One sku's ground truth, computed from the database's rows: the inventory row and the
 * reservations recorded since its last restock.
 *
 * @param initialQuantity the stock set by the last restock
 * @param remaining the inventory row's quantity now
 * @param consumedUnits {@code initialQuantity - remaining}: what the stock lost
 * @param confirmedUnits the units of the CONFIRMED reservations: what clients were promised
 * @param mismatchUnits {@code confirmedUnits - consumedUnits}: units confirmed that the stock never
 *     lost (lost updates); 0 when the invariant holds
 * @param oversoldUnits {@code max(0, confirmedUnits - initialQuantity)}: units promised beyond
 *     the stock there was
 */
public record SkuTruth(
    String sku,
    long initialQuantity,
    long remaining,
    long version,
    long confirmedReservations,
    long confirmedUnits,
    long soldOutReservations,
    long conflictReservations,
    long consumedUnits,
    long mismatchUnits,
    long oversoldUnits) {}
