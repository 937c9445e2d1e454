package io.racetrace.target.fault;

import io.racetrace.target.store.StorageTimeoutException;
import io.racetrace.target.worker.WorkerThread;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run-time fault injection: storage latency, storage timeouts, duplicate delivery, plus the jitter
 * of the conditional-mode retry backoff.
 *
 * <p>Concurrency: the settings are one immutable {@link FaultSettings} behind an
 * {@link AtomicReference}; the dice are one seeded {@link Random} (thread-safe). The sequence of
 * draws is fixed by the seed, but which worker gets which draw depends on scheduling, so a seed
 * makes a run's fault mix reproducible, not its exact interleaving.
 *
 * <p>Waiting goes through {@link WorkerThread#pause}, so a worker restart cuts it short.
 */
public final class Faults {
  private final AtomicReference<FaultSettings> settings;
  private volatile Random random;
  private volatile long seed;

  public Faults(FaultSettings initial, long seed) {
    this.settings = new AtomicReference<>(initial);
    reseed(seed);
  }

  public FaultSettings settings() {
    return settings.get();
  }

  public long seed() {
    return seed;
  }

  public FaultSettings update(Map<String, ? extends Number> changes) {
    return settings.updateAndGet(s -> s.with(changes));
  }

  public void set(FaultSettings s) {
    settings.set(s);
  }

  public void reseed(long newSeed) {
    this.seed = newSeed;
    this.random = new Random(newSeed);
  }

  /** Called at the start of a store read or write: may block and throw a storage timeout. */
  public void maybeTimeout(String operation, String sku) {
    FaultSettings s = settings.get();
    if (s.timeoutRate() > 0 && random.nextDouble() < s.timeoutRate()) {
      WorkerThread.pause(s.timeoutDelayMs());
      throw new StorageTimeoutException("injected storage timeout in " + operation + " of " + sku);
    }
  }

  public void readLatency() {
    WorkerThread.pause(settings.get().readLatencyMs());
  }

  public void writeLatency() {
    WorkerThread.pause(settings.get().writeLatencyMs());
  }

  /** True if this accepted request should also be delivered a second time. */
  public boolean rollDuplicate() {
    double rate = settings.get().duplicateRate();
    return rate > 0 && random.nextDouble() < rate;
  }

  /** Uniform in [0, 1): used for retry jitter. */
  public double nextJitter() {
    return random.nextDouble();
  }
}
