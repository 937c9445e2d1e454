package com.example.shop;

public class JdbcStockRepository implements StockRepository {
  @Override
  public long findQuantityBySku(String sku) {
    return 1;
  }
}
