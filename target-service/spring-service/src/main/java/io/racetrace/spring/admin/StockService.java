package io.racetrace.spring.admin;

import io.racetrace.spring.inventory.Inventory;
import io.racetrace.spring.inventory.InventoryRepository;
import io.racetrace.spring.inventory.UnknownSkuException;
import io.racetrace.spring.reservation.ReservationRepository;
import io.racetrace.spring.reservation.ReservationStatus;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Restocking, and the ground truth computed from the rows. The truth reads run at REPEATABLE READ,
 * a snapshot on both H2 and PostgreSQL, so one sku's row and its reservations are read as of one
 * moment; its figures are exact once no request is in flight.
 */
@Service
public class StockService {
  private final InventoryRepository inventory;
  private final ReservationRepository reservations;

  public StockService(InventoryRepository inventory, ReservationRepository reservations) {
    this.inventory = inventory;
    this.reservations = reservations;
  }

  /** Sets each sku's stock (creating the sku if new) and deletes its reservations. */
  @Transactional
  public void restock(Map<String, Long> stock) {
    stock.forEach((sku, quantity) -> {
      inventory.findBySku(sku).ifPresentOrElse(
          item -> item.restock(quantity), () -> inventory.save(new Inventory(sku, quantity)));
      reservations.deleteAllBySku(sku);
    });
  }

  @Transactional(readOnly = true)
  public Inventory item(String sku) {
    return inventory.findBySku(sku).orElseThrow(() -> new UnknownSkuException(sku));
  }

  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Truth truth() {
    return Truth.of(inventory.findAll(Sort.by("sku")).stream().map(this::truthOf).toList());
  }

  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public SkuTruth truth(String sku) {
    return truthOf(item(sku));
  }

  private SkuTruth truthOf(Inventory item) {
    String sku = item.getSku();
    long confirmedUnits = reservations.sumUnitsBySkuAndStatus(sku, ReservationStatus.CONFIRMED);
    long consumed = item.getInitialQuantity() - item.getQuantity();
    return new SkuTruth(
        sku,
        item.getInitialQuantity(),
        item.getQuantity(),
        item.getVersion(),
        reservations.countBySkuAndStatus(sku, ReservationStatus.CONFIRMED),
        confirmedUnits,
        reservations.countBySkuAndStatus(sku, ReservationStatus.SOLD_OUT),
        reservations.countBySkuAndStatus(sku, ReservationStatus.CONFLICT),
        consumed,
        confirmedUnits - consumed,
        Math.max(0, confirmedUnits - item.getInitialQuantity()));
  }
}
