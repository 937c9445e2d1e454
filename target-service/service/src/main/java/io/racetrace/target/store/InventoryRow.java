package io.racetrace.target.store;

/** One row of the {@code inventory} table. Part of the probe contract; keep the shape. */
public record InventoryRow(String sku, long quantity, long version) {}
