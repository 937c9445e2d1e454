package io.racetrace.spring.reservation;

import io.racetrace.spring.ReservationSettings;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;

/**
 * The safe path: {@code @Version} optimistic locking with bounded retry, and the request id as an
 * idempotency key. Each attempt is its own transaction ({@link ReservationAttempts#attempt}); this
 * method is deliberately not {@code @Transactional}, since a transaction that failed its commit
 * cannot be retried from inside itself.
 *
 * <p>An attempt that fails on the version ({@code ObjectOptimisticLockingFailureException}), on
 * the unique request id (a concurrent duplicate) or on another transient failure is retried after
 * a jittered backoff, up to {@code reservations.max-attempts} attempts in all; then the id is
 * recorded CONFLICT, which is final for it (a redelivery after the client was told CONFLICT must
 * not take a unit nobody hears about; to try again a client sends a new id). Every decided id
 * answers its first outcome again, marked {@code replayed}.
 */
@Service
public class SafeReservationService {
  private final ReservationAttempts attempts;
  private final ReservationSettings settings;
  private final ReservationStats stats;

  public SafeReservationService(ReservationAttempts attempts, ReservationSettings settings, ReservationStats stats) {
    this.attempts = attempts;
    this.settings = settings;
    this.stats = stats;
  }

  public ReservationResult reserve(String requestId, String sku, int units) {
    stats.safeRequests.increment();
    for (int attempt = 1; ; attempt++) {
      try {
        return stats.count(attempts.attempt(requestId, sku, units, attempt));
      } catch (ObjectOptimisticLockingFailureException e) {
        stats.optimisticLockFailures.increment();
      } catch (DataIntegrityViolationException e) {
        stats.requestIdCollisions.increment();
      } catch (ConcurrencyFailureException e) {
        stats.otherConcurrencyFailures.increment();
      }
      if (attempt >= settings.maxAttempts()) {
        return stats.count(settleConflict(requestId, sku, units, attempt));
      }
      stats.retries.increment();
      backoff(attempt);
    }
  }

  private ReservationResult settleConflict(String requestId, String sku, int units, int attemptsMade) {
    try {
      return attempts.recordConflict(requestId, sku, units, attemptsMade);
    } catch (DataIntegrityViolationException e) {
      // A concurrent request with this id recorded its outcome first: that outcome is the answer.
      return attempts.recorded(requestId, sku, units).orElseThrow(() -> e);
    }
  }

  private void backoff(int attempt) {
    long base = settings.retryBackoffMs();
    if (base == 0) {
      return;
    }
    double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
    try {
      Thread.sleep(Math.max(1, Math.round(base * attempt * jitter)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
