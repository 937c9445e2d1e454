package com.example.shop;

public class BaseDesk {
  public void restock(String sku, long units) {}
}
