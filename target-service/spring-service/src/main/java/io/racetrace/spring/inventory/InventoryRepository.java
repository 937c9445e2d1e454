package io.racetrace.spring.inventory;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Spring Data repository of {@link Inventory}: at run time a JDK proxy over SimpleJpaRepository. */
public interface InventoryRepository extends JpaRepository<Inventory, Long> {
  /** The store read of both paths (a derived query: {@code select ... where sku = ?}). */
  Optional<Inventory> findBySku(String sku);

  /**
   * The racy path's write: a bulk update that sets the quantity computed from an earlier read,
   * with no version condition and no version bump (a JPQL update is not versioned unless it says
   * {@code update versioned}). Runs at once, not at flush. Returns the rows updated.
   */
  @Modifying
  @Query("update Inventory i set i.quantity = :quantity where i.sku = :sku")
  int overwriteQuantity(@Param("sku") String sku, @Param("quantity") long quantity);
}
