package io.racetrace.synthetic;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a synthetic capture for tests, demos and the throughput benchmark, and prints its ground
 * truth: {@code java <opens> -cp racetrace-analyzer.jar io.racetrace.synthetic.SyntheticMain
 * --rows 10000000 --out /tmp/cap}.
 */
@Command(name = "synthetic-capture", mixinStandardHelpOptions = true,
    description = "Generate a synthetic reservation-service capture with known anomalies.")
public final class SyntheticMain implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Capture directory (one queue per worker inside).")
  Path out;

  @Option(names = "--rows", defaultValue = "1000000", description = "Rows to write (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--mode", defaultValue = "unsafe", description = "unsafe or conditional (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--workers", defaultValue = "1", description = "Queues (simulated JVMs).")
  int workers;

  @Option(names = "--threads", defaultValue = "16", description = "Worker threads per JVM.")
  int threads;

  @Option(names = "--keys", defaultValue = "1000") int keys;

  @Option(names = "--zipf", defaultValue = "1.1") double zipf;

  @Option(names = "--rate", defaultValue = "5000", description = "Requests per second.")
  double rate;

  @Option(names = "--inventory", defaultValue = "1000000000", description = "Initial quantity per key.")
  long inventory;

  @Option(names = "--duplicate-rate", defaultValue = "0.001") double duplicateRate;

  @Option(names = "--timeout-rate", defaultValue = "0.0002") double timeoutRate;

  @Option(names = "--drop-every", defaultValue = "0", description = "Drop every Nth offered row (agent ring full).")
  long dropEvery;

  @Option(names = "--jitter-us", defaultValue = "0", description = "Rows reach the queue up to this late.")
  long jitterUs;

  @Option(names = "--seed", defaultValue = "42") long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SyntheticMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    var p = new SyntheticCapture.Params(rows, mode.equals("conditional"), workers, threads, keys, zipf, rate, inventory,
        duplicateRate, timeoutRate, dropEvery, jitterUs * 1000, seed);
    long t0 = System.nanoTime();
    var truth = SyntheticCapture.generate(out, p);
    System.out.println(truth);
    System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
