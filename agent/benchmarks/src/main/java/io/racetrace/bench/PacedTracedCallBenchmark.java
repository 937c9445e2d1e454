package io.racetrace.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a captured event costs the application thread when nothing is dropped: {@link
 * TracedCallBenchmark} runs the traced call back to back, faster than any service calls it, so the
 * ring fills and most of its events take the cheaper drop path. Here each invocation is a batch of
 * {@link #BATCH} (or {@link #LARGE_BATCH}) read-modify-writes (2 × {@code BATCH} events, far below
 * the ring's 4 MB, some 80,000 of these rows),
 * followed, outside the measured time, by a pause in which the writer thread drains the ring, as
 * it does between a service's requests.
 *
 * <p>Each traced fork writes its own queue; that nothing was dropped is read from the capture
 * afterwards ({@code racetrace analyze} prints the completeness, drops included): a run that
 * dropped rows does not measure the captured path and is not reported. See BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PacedTracedCallBenchmark {
  static final int BATCH = 256;
  /** 2,048 events: far below the ring, long enough that the thread's wake-up is amortised. */
  static final int LARGE_BATCH = 1024;
  /**
   * The pause per event of the last batch: long enough for the writer to drain it on this 2-core
   * machine (a fixed 2 ms, 0.24 µs per event of the large batch, dropped rows; 4 µs drops none).
   */
  static final long PAUSE_NANOS_PER_EVENT = 4_000;

  /** Each traced benchmark writes its own queue, so each one's drops can be read. */
  private static final String AGENT = "-javaagent:agent/target/racetrace-agent.jar="
      + "probes=agent/benchmarks/bench-probes.yaml,queue=agent/benchmarks/target/paced-queue";
  private static final String AGENT_LARGE = AGENT + "-large";

  private final BenchStore store = new BenchStore();
  private String key;
  private int lastBatch;

  @Setup
  public void setup() {
    key = "sku-" + Thread.currentThread().getId();
  }

  @TearDown(Level.Invocation)
  public void pause() {
    LockSupport.parkNanos(2L * lastBatch * PAUSE_NANOS_PER_EVENT);
  }

  private long batch(int n) {
    lastBatch = n;
    long sum = 0;
    for (int i = 0; i < n; i++) {
      BenchStore.Row r = store.read(key);
      store.write(key, r.quantity() - 1, r.version() + 1);
      sum += r.version();
    }
    return sum;
  }

  @Benchmark
  @Fork(1)
  @OperationsPerInvocation(BATCH)
  public long pacedUntraced() {
    return batch(BATCH);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = AGENT)
  @OperationsPerInvocation(BATCH)
  public long pacedTraced() {
    return batch(BATCH);
  }

  @Benchmark
  @Fork(1)
  @OperationsPerInvocation(LARGE_BATCH)
  public long pacedUntracedLargeBatch() {
    return batch(LARGE_BATCH);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = AGENT_LARGE)
  @OperationsPerInvocation(LARGE_BATCH)
  public long pacedTracedLargeBatch() {
    return batch(LARGE_BATCH);
  }
}
