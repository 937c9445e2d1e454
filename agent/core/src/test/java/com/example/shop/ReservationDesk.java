package com.example.shop;

public class ReservationDesk extends BaseDesk {
  public boolean reserve(String sku, int units) {
    return units > 0;
  }

  public boolean reserve(String sku) {
    return reserve(sku, 1);
  }
}
