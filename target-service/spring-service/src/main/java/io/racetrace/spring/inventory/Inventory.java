package io.racetrace.spring.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One sku's stock. {@link #version} is the JPA optimistic-lock version: Hibernate writes a changed
 * entity as {@code UPDATE inventory SET quantity=?, version=version+1 WHERE id=? AND version=?} at
 * flush, and a row that moved on since the read fails the flush. The racy path goes around it with
 * a bulk JPQL update ({@link InventoryRepository#overwriteQuantity}).
 *
 * <p>{@link #initialQuantity} is the stock set by the last restock, when the sku's reservations
 * were cleared; the ground truth compares it with what the reservations confirmed.
 */
@Entity
@Table(name = "inventory")
public class Inventory {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, unique = true, length = 64)
  private String sku;

  @Column(nullable = false)
  private long quantity;

  @Column(name = "initial_quantity", nullable = false)
  private long initialQuantity;

  @Version
  private long version;

  protected Inventory() {
    // for JPA
  }

  public Inventory(String sku, long stock) {
    this.sku = sku;
    this.quantity = stock;
    this.initialQuantity = stock;
  }

  public Long getId() {
    return id;
  }

  public String getSku() {
    return sku;
  }

  public long getQuantity() {
    return quantity;
  }

  public long getInitialQuantity() {
    return initialQuantity;
  }

  public long getVersion() {
    return version;
  }

  /** Takes {@code units} from the stock; written, version-checked, at the next flush. */
  public void take(long units) {
    if (units < 1 || units > quantity) {
      throw new IllegalArgumentException("cannot take " + units + " of " + quantity);
    }
    quantity -= units;
  }

  /** Sets the stock and the initial stock the ground truth starts from. */
  public void restock(long stock) {
    quantity = stock;
    initialQuantity = stock;
  }
}
