package io.racetrace.spring.admin;

import io.racetrace.spring.inventory.Inventory;
import io.racetrace.spring.reservation.ReservationStats;
import io.racetrace.spring.web.BadRequestException;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock, inventory reads, the ground truth and the counters. Unauthenticated, like the other
 * reference service's admin endpoints: the service binds to loopback by default.
 */
@RestController
public class AdminController {
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final long MAX_STOCK = 1_000_000_000L;

  private final StockService stock;
  private final ReservationStats stats;

  public AdminController(StockService stock, ReservationStats stats) {
    this.stock = stock;
    this.stats = stats;
  }

  /** The inventory row as a client would see it. */
  public record InventoryView(String sku, long quantity, long version) {}

  /** {@code {"sku-1": 100, ...}}: sets these skus' stock and forgets their reservations. */
  @PutMapping("/admin/stock")
  public Truth restock(@RequestBody Map<String, Long> body) {
    if (body.isEmpty()) {
      throw new BadRequestException("no sku given");
    }
    body.forEach((sku, quantity) -> {
      if (!SKU.matcher(sku).matches()) {
        throw new BadRequestException("sku must match " + SKU);
      }
      if (quantity == null || quantity < 0 || quantity > MAX_STOCK) {
        throw new BadRequestException("stock of " + sku + " must be in [0, " + MAX_STOCK + "]");
      }
    });
    stock.restock(body);
    return Truth.of(body.keySet().stream().sorted().map(stock::truth).toList());
  }

  @GetMapping("/inventory/{sku}")
  public InventoryView inventory(@PathVariable("sku") String sku) {
    Inventory item = stock.item(sku);
    return new InventoryView(item.getSku(), item.getQuantity(), item.getVersion());
  }

  @GetMapping("/truth")
  public Truth truth() {
    return stock.truth();
  }

  @GetMapping("/truth/{sku}")
  public SkuTruth truth(@PathVariable("sku") String sku) {
    return stock.truth(sku);
  }

  @GetMapping("/stats")
  public Map<String, Long> stats() {
    return stats.snapshot();
  }
}
