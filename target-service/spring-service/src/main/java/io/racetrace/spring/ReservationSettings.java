package io.racetrace.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code reservations.*} properties.
 *
 * @param readLatencyMs added after the inventory read, before the check, on both paths: widens the
 *     stale-read window as a slow network or a busy database would (the other reference service's
 *     {@code readLatencyMs} knob). 0 by default.
 * @param maxAttempts safe path: transactions tried per request before it is answered CONFLICT
 * @param retryBackoffMs safe path: base of the jittered backoff before attempt k+1,
 *     {@code base * k * [0.5, 1.5)} ms
 * @param maxUnits the most units one request may ask for
 */
@ConfigurationProperties(prefix = "reservations")
public record ReservationSettings(
    @DefaultValue("0") long readLatencyMs,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("2") long retryBackoffMs,
    @DefaultValue("100") int maxUnits) {
  public ReservationSettings {
    if (readLatencyMs < 0 || maxAttempts < 1 || retryBackoffMs < 0 || maxUnits < 1) {
      throw new IllegalArgumentException("reservations.*: read-latency-ms >= 0, max-attempts >= 1,"
          + " retry-backoff-ms >= 0, max-units >= 1");
    }
  }

  /** Waits {@link #readLatencyMs}, if any. An interrupt ends the wait early and stays set. */
  public void pauseAfterRead() {
    if (readLatencyMs > 0) {
      try {
        Thread.sleep(readLatencyMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
