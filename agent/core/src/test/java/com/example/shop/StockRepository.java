package com.example.shop;

/** A repository interface, as Spring Data users write them. */
public interface StockRepository {
  long findQuantityBySku(String sku);
}
