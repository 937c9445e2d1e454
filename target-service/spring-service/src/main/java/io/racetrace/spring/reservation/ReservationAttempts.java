package io.racetrace.spring.reservation;

import io.racetrace.spring.ReservationSettings;
import io.racetrace.spring.inventory.Inventory;
import io.racetrace.spring.inventory.InventoryRepository;
import io.racetrace.spring.inventory.UnknownSkuException;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The safe path's transactions, one per attempt; {@link SafeReservationService} retries them. A
 * bean of its own so that each call goes through the {@code @Transactional} proxy (a call from
 * inside the same bean would not start a transaction).
 *
 * <p>Concurrency: {@link #attempt} takes the units through the managed entity. Hibernate writes it
 * at commit as {@code UPDATE inventory ... WHERE id=? AND version=?}; if another transaction
 * committed a change since the read, no row matches, and the commit fails with
 * {@code ObjectOptimisticLockingFailureException} and rolls back, the reservation insert with it.
 * A concurrent request with the same id fails on the unique {@code request_id} instead (or, when
 * both take from the same sku, on the version), and its next attempt finds the first one's record.
 */
@Service
public class ReservationAttempts {
  private final InventoryRepository inventory;
  private final ReservationRepository reservations;
  private final ReservationSettings settings;

  public ReservationAttempts(
      InventoryRepository inventory, ReservationRepository reservations, ReservationSettings settings) {
    this.inventory = inventory;
    this.reservations = reservations;
    this.settings = settings;
  }

  /** One attempt: replay a decided id, or read, check, take and record in one transaction. */
  @Transactional
  public ReservationResult attempt(String requestId, String sku, int units, int attempt) {
    Optional<Reservation> prior = reservations.findByRequestId(requestId);
    if (prior.isPresent()) {
      return replay(prior.get(), sku, units);
    }
    Inventory item = inventory.findBySku(sku).orElseThrow(() -> new UnknownSkuException(sku));
    settings.pauseAfterRead();
    long readVersion = item.getVersion();
    if (item.getQuantity() < units) {
      // Stock only goes down between restocks: a quantity too small at the read is too small at commit.
      reservations.save(new Reservation(requestId, sku, units, ReservationStatus.SOLD_OUT, attempt));
      return new ReservationResult(
          requestId, sku, units, ReservationStatus.SOLD_OUT, item.getQuantity(), readVersion, attempt, false);
    }
    item.take(units);
    inventory.save(item); // a managed entity: no SQL here, the versioned UPDATE runs at commit
    reservations.save(new Reservation(requestId, sku, units, ReservationStatus.CONFIRMED, attempt));
    return new ReservationResult(
        requestId, sku, units, ReservationStatus.CONFIRMED, item.getQuantity(), readVersion, attempt, false);
  }

  /** After the last failed attempt: record CONFLICT for the id, unless it was decided meanwhile. */
  @Transactional
  public ReservationResult recordConflict(String requestId, String sku, int units, int attempts) {
    Optional<Reservation> prior = reservations.findByRequestId(requestId);
    if (prior.isPresent()) {
      return replay(prior.get(), sku, units);
    }
    reservations.save(new Reservation(requestId, sku, units, ReservationStatus.CONFLICT, attempts));
    return new ReservationResult(requestId, sku, units, ReservationStatus.CONFLICT, -1, -1, attempts, false);
  }

  /** The recorded outcome of a decided id, as a replay. */
  @Transactional(readOnly = true)
  public Optional<ReservationResult> recorded(String requestId, String sku, int units) {
    return reservations.findByRequestId(requestId).map(r -> replay(r, sku, units));
  }

  private static ReservationResult replay(Reservation prior, String sku, int units) {
    if (!prior.getSku().equals(sku) || prior.getUnits() != units) {
      throw new RequestIdReuseException(prior.getRequestId(), prior);
    }
    return ReservationResult.replayOf(prior);
  }
}
