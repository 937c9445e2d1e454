package io.racetrace.analyzer.read;

import io.racetrace.analyzer.util.FingerprintSet;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceSchema;
import java.util.List;

/**
 * Keeps only the keys whose history is complete when the agent sampled keys to stay within its
 * overhead budget (schema version 2, record {@code S}).
 *
 * <p>The agent captures a key while the key's bucket is below its sampling level, and the level
 * only falls. So a key whose bucket is below the <em>final</em> level was captured from start to
 * end, and a key at or above it was captured only until the cut that excluded it: its history is
 * partial, and a detector fed with it would see half a race, an invariant with missing
 * transitions, a request without its retry. With several queues (workers) the effective level is
 * the lowest final level of them: a key is complete only if every worker kept it to the end.
 *
 * <p>Every row that carries a key bucket ({@code F_KEY_BUCKET}) at or above the effective level is
 * dropped before any detector or {@code rows.csv} sees it; rows without a bucket are kept. Kept
 * rows are renumbered ({@link Ev#seq}) so that positions in reports still match {@code rows.csv}.
 *
 * <p>Memory: one fingerprint (16-32 bytes) per distinct excluded key.
 */
public final class SamplingFilter implements RowSink {
  private final int level;
  private final RowSink next;
  private final FingerprintSet excludedKeys = new FingerprintSet(1024);
  private long rowsExcluded;
  private long seq;

  public SamplingFilter(int level, RowSink next) {
    this.level = level;
    this.next = next;
  }

  /**
   * The effective level of a set of queues, given each queue's last sampling change ({@code null}:
   * the agent never sampled, which counts as {@link TraceSchema#SAMPLE_ALL}).
   */
  public static int effectiveLevel(List<SamplingChange> lastChanges) {
    int level = TraceSchema.SAMPLE_ALL;
    for (SamplingChange s : lastChanges) {
      if (s != null) {
        level = Math.min(level, Math.max(0, s.level()));
      }
    }
    return level;
  }

  /** True if the row's key has a partial history at {@code level} and is left out of the analysis. */
  public static boolean excludes(Ev e, int level) {
    return (e.flags & TraceSchema.F_KEY_BUCKET) != 0 && e.keyBucket >= level;
  }

  @Override
  public void accept(Ev e) {
    if (excludes(e, level)) {
      rowsExcluded++;
      if (e.keyHash != 0) {
        excludedKeys.addIfAbsent(e.keyHash, 1);
      }
      return;
    }
    e.seq = seq++;
    next.accept(e);
  }

  public int level() {
    return level;
  }

  public long rowsExcluded() {
    return rowsExcluded;
  }

  /** Distinct keys (by 64-bit hash) of the rows excluded. */
  public long keysExcluded() {
    return excludedKeys.size();
  }
}
