package io.racetrace.target;

import io.racetrace.target.fault.Faults;
import io.racetrace.target.store.ConnectionPool;
import io.racetrace.target.store.DuplicateRequestIdException;
import io.racetrace.target.store.InventoryRow;
import io.racetrace.target.store.InventoryStore;
import io.racetrace.target.store.ReservationRecord;
import io.racetrace.target.store.StorageException;
import io.racetrace.target.store.StorageTimeoutException;
import io.racetrace.target.worker.WorkerPool;
import io.racetrace.target.worker.WorkerThread;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reserves units of inventory. Two methods form the probe contract the racetrace agent relies on:
 * {@link #submit} (arrival, on the HTTP thread) and {@link #reserve} (the whole request with its
 * retries, on a worker thread). Keep their names and parameters.
 *
 * <p>Modes. {@link Mode#UNSAFE}: read, check, blind {@code write} of quantity-q / version+1, commit
 * - two overlapping requests both read the same row and both confirm (the seed's lost update).
 * {@link Mode#CONDITIONAL}: {@code compareAndSet} on the version read; on a lost race re-read and
 * retry up to {@code maxRetries} times with jittered exponential backoff, then CONFLICT. The
 * request id is an idempotency key: every outcome is recorded in {@code reservations} (CONFIRMED in
 * the same transaction as the CAS), so a repeated id returns the first outcome and never reserves
 * after it. CONFLICT is final too: to try again, a client sends a new request id.
 *
 * <p>Concurrency: the service holds no lock of its own; every guarantee of conditional mode comes
 * from the database (the CAS's WHERE clause and the reservations primary key). Two concurrent
 * deliveries of one id: both may pass the lookup; the first CAS wins, the second fails (its row
 * version moved), retries, and finds the winner's record. If both CAS different rows (same id,
 * different sku) the primary key rejects the second insert and its transaction, CAS included, is
 * rolled back.
 *
 * <p>Failure handling: storage faults leave {@link #reserve} as {@link StorageTimeoutException}
 * (answered 503) or {@link StorageException} (500), always after a rollback.
 */
public final class ReservationService {
  /** Largest quantity one request may ask for; more is a client error. */
  public static final int MAX_QUANTITY = 1_000;

  private static final ThreadLocal<ReservationReceipt> LAST_RECEIPT = new ThreadLocal<>();

  private final Mode mode;
  private final InventoryStore store;
  private final ConnectionPool pool;
  private final WorkerPool workers;
  private final Faults faults;
  private final ServiceStats stats;
  private final int maxRetries;
  private final int retryBackoffMs;

  public ReservationService(
      Mode mode,
      InventoryStore store,
      ConnectionPool pool,
      WorkerPool workers,
      Faults faults,
      ServiceStats stats,
      int maxRetries,
      int retryBackoffMs) {
    if (maxRetries < 0 || retryBackoffMs < 0) {
      throw new IllegalArgumentException("maxRetries and retryBackoffMs must be >= 0");
    }
    this.mode = mode;
    this.store = store;
    this.pool = pool;
    this.workers = workers;
    this.faults = faults;
    this.stats = stats;
    this.maxRetries = maxRetries;
    this.retryBackoffMs = retryBackoffMs;
  }

  public Mode mode() {
    return mode;
  }

  /**
   * Arrival: accepts {@code r} into the bounded worker queue; {@code callback} hears the result on
   * the worker. Throws {@link QueueFullException} (or {@link WorkerRestartException} during a
   * restart) if the request was not accepted. With the duplicate-delivery fault knob, the request
   * is delivered once more after the first delivery finishes.
   */
  public void submit(ReservationRequest r, ReservationCallback callback) {
    boolean duplicate = faults.rollDuplicate();
    try {
      workers.execute(new ReservationTask(this, r, callback, System.nanoTime(), duplicate));
    } catch (QueueFullException e) {
      stats.rejectedQueueFull.increment();
      throw e;
    }
    stats.accepted.increment();
  }

  /**
   * Runs one request to its outcome: the whole request, including conditional-mode retries. Throws
   * {@link UnknownSkuException}, {@link IllegalArgumentException} (bad quantity),
   * {@link StorageTimeoutException}, {@link StorageException} or {@link WorkerRestartException}.
   */
  public ReservationOutcome reserve(ReservationRequest r) {
    LAST_RECEIPT.remove();
    if (r.requestId() == null || r.sku() == null) {
      throw new IllegalArgumentException("requestId and sku are required");
    }
    if (r.quantity() < 1 || r.quantity() > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity must be in [1, " + MAX_QUANTITY + "]");
    }
    try (ConnectionPool.Lease lease = pool.lease()) {
      Connection c = lease.connection();
      ReservationReceipt receipt =
          mode == Mode.UNSAFE ? reserveUnsafe(c, r) : reserveConditional(c, r);
      LAST_RECEIPT.set(receipt);
      return receipt.outcome();
    }
  }

  /** The details of the last {@link #reserve} on this thread, or null; clears them. */
  ReservationReceipt takeReceipt() {
    ReservationReceipt r = LAST_RECEIPT.get();
    LAST_RECEIPT.remove();
    return r;
  }

  private ReservationReceipt reserveUnsafe(Connection c, ReservationRequest r) {
    try {
      InventoryRow row = store.read(c, r.sku());
      if (row == null) {
        throw new UnknownSkuException(r.sku());
      }
      if (row.quantity() < r.quantity()) {
        c.commit();
        return new ReservationReceipt(ReservationOutcome.SOLD_OUT, row.quantity(), row.version(), 0, false);
      }
      WorkerThread.checkNotStopped();
      long newQuantity = row.quantity() - r.quantity();
      long newVersion = row.version() + 1;
      stats.writeAttempts.increment();
      // The race of the seed: no version check, the row may have changed since the read.
      if (store.write(c, r.sku(), newQuantity, newVersion) != 1) {
        throw new StorageException("inventory row of " + r.sku() + " vanished during the request");
      }
      WorkerThread.checkNotStopped();
      c.commit();
      return new ReservationReceipt(ReservationOutcome.CONFIRMED, newQuantity, newVersion, 1, false);
    } catch (SQLException e) {
      rollback(c);
      throw new StorageException("commit failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback(c);
      throw e;
    }
  }

  private ReservationReceipt reserveConditional(Connection c, ReservationRequest r) {
    int writeAttempts = 0;
    int rounds = 0;
    try {
      while (true) {
        if (++rounds > maxRetries + 3) {
          // Each round either CASes (counted above) or loses the reservations primary key to a
          // committed record that the next round replays; more rounds than that is a store bug.
          throw new StorageException("no decision for " + r.requestId() + " after " + rounds + " rounds");
        }
        ReservationRecord prior = store.findReservation(c, r.requestId());
        if (prior != null) {
          c.commit();
          return replay(r, prior, writeAttempts);
        }
        InventoryRow row = store.read(c, r.sku());
        if (row == null) {
          throw new UnknownSkuException(r.sku());
        }
        if (row.quantity() < r.quantity()) {
          if (record(c, r, ReservationOutcome.SOLD_OUT, row.version())) {
            c.commit();
            return new ReservationReceipt(
                ReservationOutcome.SOLD_OUT, row.quantity(), row.version(), writeAttempts, false);
          }
          continue; // another delivery of this id decided first: replay its outcome
        }
        WorkerThread.checkNotStopped();
        long newQuantity = row.quantity() - r.quantity();
        long newVersion = row.version() + 1;
        writeAttempts++;
        stats.writeAttempts.increment();
        if (store.compareAndSet(c, r.sku(), row.version(), newQuantity, newVersion)) {
          if (!record(c, r, ReservationOutcome.CONFIRMED, newVersion)) {
            continue; // rolled back, CAS included; the other delivery's record will be replayed
          }
          WorkerThread.checkNotStopped();
          c.commit();
          return new ReservationReceipt(
              ReservationOutcome.CONFIRMED, newQuantity, newVersion, writeAttempts, false);
        }
        c.rollback();
        stats.casFailures.increment();
        if (writeAttempts > maxRetries) {
          // CONFLICT is final for this id too: otherwise a later delivery of the same message (an
          // at-least-once redelivery, a stray client retry) could still reserve after the client
          // was told CONFLICT, and the unit would be gone with no confirmation anywhere.
          if (record(c, r, ReservationOutcome.CONFLICT, row.version())) {
            c.commit();
            return new ReservationReceipt(
                ReservationOutcome.CONFLICT, row.quantity(), row.version(), writeAttempts, false);
          }
          continue; // another delivery decided this id meanwhile: replay its outcome
        }
        stats.retries.increment();
        backoff(writeAttempts);
      }
    } catch (SQLException e) {
      rollback(c);
      throw new StorageException("commit failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback(c);
      throw e;
    }
  }

  /** Inserts the outcome record; false (after a rollback) if another delivery recorded this id. */
  private boolean record(Connection c, ReservationRequest r, ReservationOutcome outcome, long version)
      throws SQLException {
    try {
      store.insertReservation(
          c, new ReservationRecord(r.requestId(), r.sku(), r.quantity(), outcome.name(), version));
      return true;
    } catch (DuplicateRequestIdException e) {
      c.rollback();
      return false;
    }
  }

  private static ReservationReceipt replay(ReservationRequest r, ReservationRecord prior, int attempts) {
    if (!prior.sku().equals(r.sku()) || prior.quantity() != r.quantity()) {
      throw new IdempotencyKeyReuseException(r.requestId(), prior.sku(), prior.quantity());
    }
    return new ReservationReceipt(
        ReservationOutcome.valueOf(prior.outcome()), -1, prior.version(), attempts, true);
  }

  private void backoff(int attempt) {
    // Exponential with full jitter in [0.5, 1.5) x base x 2^(attempt-1): spreads the herd of
    // requests that just lost the same CAS.
    double ms = retryBackoffMs * Math.pow(2, attempt - 1) * (0.5 + faults.nextJitter());
    WorkerThread.pause(Math.round(ms));
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the lease replaces a connection whose rollback fails; report the original error
    }
  }

  // ---- worker-side plumbing, called by ReservationTask -------------------------------------

  void process(ReservationRequest r, ReservationCallback callback, long enqueuedNanos) {
    long start = System.nanoTime();
    String worker = Thread.currentThread().getName();
    ReservationReceipt receipt;
    try {
      reserve(r);
      receipt = takeReceipt();
    } catch (RuntimeException e) {
      countFailure(e);
      callback.failed(r, e, new ReservationCallback.Timing(start - enqueuedNanos, System.nanoTime() - start, worker));
      return;
    }
    switch (receipt.outcome()) {
      case CONFIRMED -> stats.confirmed.increment();
      case SOLD_OUT -> stats.soldOut.increment();
      case CONFLICT -> stats.conflict.increment();
    }
    if (receipt.replayed()) {
      stats.replayed.increment();
    }
    long end = System.nanoTime();
    stats.recordTiming(start - enqueuedNanos, end - start);
    callback.completed(r, receipt, new ReservationCallback.Timing(start - enqueuedNanos, end - start, worker));
  }

  private void countFailure(RuntimeException e) {
    if (e instanceof StorageTimeoutException) {
      stats.storageTimeouts.increment();
    } else if (e instanceof StorageException) {
      stats.storageErrors.increment();
    } else if (e instanceof WorkerRestartException) {
      stats.workerRestartFailures.increment();
    } else if (e instanceof UnknownSkuException) {
      stats.unknownSku.increment();
    } else if (e instanceof IllegalArgumentException) {
      stats.badRequests.increment();
    }
  }

  void redeliver(ReservationRequest r) {
    try {
      workers.execute(new ReservationTask(this, r, ReservationCallback.DISCARD, System.nanoTime(), false));
      stats.duplicateDeliveries.increment();
    } catch (RuntimeException e) {
      stats.duplicateDeliveriesDropped.increment(); // queue full or restarting: the copy is lost
    }
  }

  void dropped(ReservationRequest r, ReservationCallback callback, long enqueuedNanos, String reason) {
    stats.workerRestartFailures.increment();
    callback.failed(
        r,
        new WorkerRestartException(reason),
        new ReservationCallback.Timing(System.nanoTime() - enqueuedNanos, 0, "none"));
  }
}
