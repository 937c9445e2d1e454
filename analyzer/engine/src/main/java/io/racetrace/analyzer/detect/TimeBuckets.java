package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.model.Results.Bucket;
import java.util.ArrayList;
import java.util.List;

/**
 * Counters per time bucket, for rates over time. Buckets start 10 ms wide; whenever the capture
 * outgrows {@link #MAX_BUCKETS} buckets, neighbours are merged pairwise and the width doubles, so a
 * capture of any length ends with at most {@link #MAX_BUCKETS} buckets (at least half of them used
 * once it is longer than 1.28 s) without knowing its duration in advance.
 *
 * <p>Bucket boundaries are multiples of the width in wall-clock time (not offsets from the first
 * row), so two instances filled from different partitions of one capture have the same boundaries
 * at the same width and {@link #merge} is exact: the merged buckets are those a single instance
 * fed every row would have.
 *
 * <p>Memory: {@code FIELDS x MAX_BUCKETS} longs, fixed. Ordering: events are bucketed by their end
 * time; an event before the first bucket (a late row) counts in the first.
 */
public final class TimeBuckets {
  static final int MAX_BUCKETS = 128;
  static final long START_WIDTH = 10_000_000L; // 10 ms

  public static final int ARRIVALS = 0;
  public static final int REQUESTS = 1;
  public static final int CONFIRMATIONS = 2;
  public static final int CONFLICT_RESPONSES = 3;
  public static final int ERRORS_5XX = 4;
  public static final int WRITE_ATTEMPTS = 5;
  public static final int WRITE_CONFLICTS = 6;
  public static final int RETRIES = 7;
  public static final int STORAGE_ATTEMPTS = 8;
  public static final int LOST_UPDATES = 9;
  public static final int DUPLICATES = 10;
  public static final int QD_SUM = 11;
  public static final int QD_COUNT = 12;
  public static final int QD_OVER_TARGET = 13;
  public static final int QD_MAX = 14; // max fields from here on
  public static final int LAT_MAX = 15;
  static final int FIELDS = 16;
  static final int FIRST_MAX_FIELD = QD_MAX;

  private long[][] v = new long[FIELDS][MAX_BUCKETS];
  private long start = Long.MIN_VALUE;
  private long width = START_WIDTH;
  private int used;

  /** The bucket index for wall time {@code t}, growing or coarsening the buckets as needed. */
  public int index(long t) {
    if (start == Long.MIN_VALUE) {
      start = t - Math.floorMod(t, START_WIDTH);
    }
    if (t < start) {
      return 0;
    }
    long i = offset(t) / width;
    while (i >= MAX_BUCKETS && width <= Long.MAX_VALUE / 4) {
      coarsen(); // may move the start down: the offset changes
      i = offset(t) / width;
    }
    if (i >= MAX_BUCKETS) {
      i = MAX_BUCKETS - 1;
    }
    if (i >= used) {
      used = (int) i + 1;
    }
    return (int) i;
  }

  /** {@code t - start}, or {@code Long.MAX_VALUE} if that overflows (an absurd timestamp lands in the last bucket). */
  private long offset(long t) {
    long d = t - start;
    return d < 0 ? Long.MAX_VALUE : d;
  }

  public void add(int field, long t, long amount) {
    int i = index(t); // first: it may coarsen, which replaces the arrays
    v[field][i] += amount;
  }

  public void max(int field, long t, long value) {
    int i = index(t);
    if (value > v[field][i]) {
      v[field][i] = value;
    }
  }

  /** Doubles the width; the start moves down to a multiple of the new width (one old bucket earlier at most). */
  private void coarsen() {
    long w2 = width * 2;
    int shift = Math.floorMod(start, w2) == 0 ? 0 : 1; // old bucket i lands in new bucket (i + shift) / 2
    for (int f = 0; f < FIELDS; f++) {
      long[] a = v[f];
      long[] b = new long[MAX_BUCKETS];
      for (int i = 0; i < MAX_BUCKETS; i++) {
        int j = (i + shift) / 2;
        b[j] = f >= FIRST_MAX_FIELD ? Math.max(b[j], a[i]) : b[j] + a[i];
      }
      v[f] = b;
    }
    start -= shift * width;
    width = w2;
    used = (used + shift + 1) / 2;
  }

  /**
   * Folds {@code other}, filled from another partition of the same capture, into this: both are
   * brought to the coarser width (and coarsened further while the union outgrows {@link
   * #MAX_BUCKETS}), then added bucket by bucket (maximum fields take the maximum).
   */
  public void merge(TimeBuckets other) {
    if (other.start == Long.MIN_VALUE) {
      return;
    }
    if (start == Long.MIN_VALUE) {
      for (int f = 0; f < FIELDS; f++) {
        v[f] = other.v[f].clone();
      }
      start = other.start;
      width = other.width;
      used = other.used;
      return;
    }
    TimeBuckets o = other.copy();
    while (width < o.width) {
      coarsen();
    }
    while (o.width < width) {
      o.coarsen();
    }
    long first = Math.min(start, o.start);
    while (width <= Long.MAX_VALUE / 4 && span(first, this, o) > MAX_BUCKETS) {
      coarsen();
      o.coarsen();
      first = Math.min(start, o.start);
    }
    long[][] m = new long[FIELDS][MAX_BUCKETS];
    int mine = (int) ((start - first) / width);
    int theirs = (int) ((o.start - first) / width);
    for (int f = 0; f < FIELDS; f++) {
      for (int i = 0; i < used; i++) {
        m[f][i + mine] = v[f][i];
      }
      for (int i = 0; i < o.used; i++) {
        int j = i + theirs;
        m[f][j] = f >= FIRST_MAX_FIELD ? Math.max(m[f][j], o.v[f][i]) : m[f][j] + o.v[f][i];
      }
    }
    for (int f = 0; f < FIELDS; f++) {
      v[f] = m[f];
    }
    used = Math.max(used + mine, o.used + theirs);
    start = first;
  }

  /** Buckets from {@code first} to the end of the later of {@code a} and {@code b}, at their common width. */
  private static long span(long first, TimeBuckets a, TimeBuckets b) {
    long w = a.width;
    return Math.max((a.start - first) / w + a.used, (b.start - first) / w + b.used);
  }

  private TimeBuckets copy() {
    TimeBuckets c = new TimeBuckets();
    for (int f = 0; f < FIELDS; f++) {
      c.v[f] = v[f].clone();
    }
    c.start = start;
    c.width = width;
    c.used = used;
    return c;
  }

  public long get(int field, int bucket) {
    return v[field][bucket];
  }

  public int used() {
    return used;
  }

  public long width() {
    return width;
  }

  public long start() {
    return start;
  }

  /** The buckets as report rows; times relative to {@code t0}. */
  public List<Bucket> rows(long t0) {
    List<Bucket> out = new ArrayList<>(used);
    for (int i = 0; i < used; i++) {
      long qdCount = v[QD_COUNT][i];
      out.add(new Bucket(
          (start + i * width - t0) / 1e6,
          v[ARRIVALS][i], v[REQUESTS][i], v[CONFIRMATIONS][i], v[CONFLICT_RESPONSES][i], v[ERRORS_5XX][i],
          v[WRITE_ATTEMPTS][i], v[WRITE_CONFLICTS][i], v[RETRIES][i], v[STORAGE_ATTEMPTS][i],
          v[LOST_UPDATES][i], v[DUPLICATES][i],
          qdCount == 0 ? null : v[QD_MAX][i] / 1e6,
          qdCount == 0 ? null : v[QD_SUM][i] / 1e6 / qdCount,
          v[QD_OVER_TARGET][i],
          v[REQUESTS][i] == 0 ? null : v[LAT_MAX][i] / 1e6));
    }
    return out;
  }
}
