package io.racetrace.spring.reservation;

import io.racetrace.spring.ReservationSettings;
import io.racetrace.spring.inventory.Inventory;
import io.racetrace.spring.inventory.InventoryRepository;
import io.racetrace.spring.inventory.UnknownSkuException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The racy path: read the row, check the quantity, write the quantity computed from that read.
 * The write is a bulk JPQL update ({@link InventoryRepository#overwriteQuantity}) that neither
 * checks nor bumps the entity's {@code @Version}, so two transactions that read the same quantity
 * both write {@code quantity - units}, both commit and both confirm: a lost update, and an oversell
 * once the stock runs out. Nothing here locks: the database's default READ COMMITTED (H2 and
 * PostgreSQL) makes the second update wait for the first's row lock and then overwrite it.
 *
 * <p>There is no idempotency check: a repeated request id is refused only by the unique
 * constraint on {@code reservations.request_id} (the insert fails and the transaction, update
 * included, rolls back; answered 409).
 */
@Service
public class RacyReservationService {
  private final InventoryRepository inventory;
  private final ReservationRepository reservations;
  private final ReservationSettings settings;
  private final ReservationStats stats;

  public RacyReservationService(
      InventoryRepository inventory,
      ReservationRepository reservations,
      ReservationSettings settings,
      ReservationStats stats) {
    this.inventory = inventory;
    this.reservations = reservations;
    this.settings = settings;
    this.stats = stats;
  }

  @Transactional
  public ReservationResult reserve(String requestId, String sku, int units) {
    stats.racyRequests.increment();
    Inventory item = inventory.findBySku(sku).orElseThrow(() -> new UnknownSkuException(sku));
    settings.pauseAfterRead();
    long available = item.getQuantity();
    if (available < units) {
      reservations.save(new Reservation(requestId, sku, units, ReservationStatus.SOLD_OUT, 1));
      return stats.count(new ReservationResult(
          requestId, sku, units, ReservationStatus.SOLD_OUT, available, item.getVersion(), 1, false));
    }
    long remaining = available - units;
    inventory.overwriteQuantity(sku, remaining);
    reservations.save(new Reservation(requestId, sku, units, ReservationStatus.CONFIRMED, 1));
    return stats.count(new ReservationResult(
        requestId, sku, units, ReservationStatus.CONFIRMED, remaining, item.getVersion(), 1, false));
  }
}
