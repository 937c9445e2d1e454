package io.racetrace.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost one traced read-modify-write (a read event and a write event) adds to a call: the same
 * method measured in a JVM without the agent and in one started with it, weaving the probes of
 * {@code benchmarks/bench-probes.yaml}. Run from the repository root (paths are relative to it),
 * with {@code -prof gc} for bytes allocated per operation. See BENCHMARKS.md.
 *
 * <p>Each thread has its own store and key, so the numbers are the agent's cost, not contention
 * on the application's data; the agent's ring is shared, as it is in a service.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class TracedCallBenchmark {
  private static final String AGENT = "-javaagent:agent/target/racetrace-agent.jar="
      + "probes=agent/benchmarks/bench-probes.yaml,queue=agent/benchmarks/target/bench-queue";

  private static final String AGENT_FULL_TIMING = AGENT + ",callTiming=full";

  private final BenchStore store = new BenchStore();
  private String key;

  @Setup
  public void setup() {
    key = "sku-" + Thread.currentThread().getId();
  }

  private long readModifyWrite() {
    BenchStore.Row r = store.read(key);
    store.write(key, r.quantity() - 1, r.version() + 1);
    return r.version();
  }

  @Benchmark
  @Fork(1)
  public long untraced() {
    return readModifyWrite();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = AGENT)
  public long traced() {
    return readModifyWrite();
  }

  /** Reads and writes also timed from entry: one more clock reading per event. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = AGENT_FULL_TIMING)
  public long tracedFullTiming() {
    return readModifyWrite();
  }

  @Benchmark
  @Fork(1)
  @Threads(2)
  public long untraced2Threads() {
    return readModifyWrite();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = AGENT)
  @Threads(2)
  public long traced2Threads() {
    return readModifyWrite();
  }
}
