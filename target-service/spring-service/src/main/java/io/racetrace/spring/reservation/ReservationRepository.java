package io.racetrace.spring.reservation;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Spring Data repository of {@link Reservation}. */
public interface ReservationRepository extends JpaRepository<Reservation, Long> {
  /** The safe path's idempotency lookup. */
  Optional<Reservation> findByRequestId(String requestId);

  long countBySkuAndStatus(String sku, ReservationStatus status);

  @Query("select coalesce(sum(r.units), 0) from Reservation r where r.sku = :sku and r.status = :status")
  long sumUnitsBySkuAndStatus(@Param("sku") String sku, @Param("status") ReservationStatus status);

  @Modifying
  @Query("delete from Reservation r where r.sku = :sku")
  int deleteAllBySku(@Param("sku") String sku);
}
