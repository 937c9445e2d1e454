package io.racetrace.analyzer.read;

/**
 * Told how far the reading of a capture has come, so a long analysis can say so (the CLI prints
 * rows read, rate and time left). Called on the analyzing thread: keep it cheap.
 */
public interface Progress {
  Progress NONE = (read, total, done) -> { };

  /**
   * @param read rows read so far
   * @param total rows the queues hold (counted before reading)
   * @param done the last call: every row was read
   */
  void rows(long read, long total, boolean done);

  /** Counts the rows passing to the next sink and tells a {@link Progress} every {@code every} of them. */
  final class Counter implements RowSink {
    private final RowSink next;
    private final Progress progress;
    private final long total;
    private final long mask;
    private long n;

    /** @param every a power of two */
    public Counter(RowSink next, Progress progress, long total, long every) {
      if (Long.bitCount(every) != 1) {
        throw new IllegalArgumentException("every must be a power of two: " + every);
      }
      this.next = next;
      this.progress = progress;
      this.total = total;
      this.mask = every - 1;
    }

    @Override
    public void accept(Ev e) {
      next.accept(e);
      if ((++n & mask) == 0) {
        progress.rows(n, total, false);
      }
    }

    /** The last call, once every row was read. */
    public void done() {
      progress.rows(n, total, true);
    }
  }
}
