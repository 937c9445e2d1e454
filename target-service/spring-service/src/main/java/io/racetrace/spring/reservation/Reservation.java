package io.racetrace.spring.reservation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One request's recorded outcome. {@code request_id} is unique: the safe path's idempotency key,
 * and the reason a racy request that repeats an id is refused (the insert fails, the transaction
 * rolls back). With an identity id the insert runs at {@code save()}, not at flush.
 */
@Entity
@Table(name = "reservations", indexes = @Index(name = "reservations_sku_status", columnList = "sku, status"))
public class Reservation {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "request_id", nullable = false, unique = true, length = 128)
  private String requestId;

  @Column(nullable = false, length = 64)
  private String sku;

  @Column(nullable = false)
  private int units;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private ReservationStatus status;

  /** Transactions the request took, the recorded one included (1 on the racy path). */
  @Column(nullable = false)
  private int attempts;

  protected Reservation() {
    // for JPA
  }

  public Reservation(String requestId, String sku, int units, ReservationStatus status, int attempts) {
    this.requestId = requestId;
    this.sku = sku;
    this.units = units;
    this.status = status;
    this.attempts = attempts;
  }

  public Long getId() {
    return id;
  }

  public String getRequestId() {
    return requestId;
  }

  public String getSku() {
    return sku;
  }

  public int getUnits() {
    return units;
  }

  public ReservationStatus getStatus() {
    return status;
  }

  public int getAttempts() {
    return attempts;
  }
}
