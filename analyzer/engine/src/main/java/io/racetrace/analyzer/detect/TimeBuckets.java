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

  private final long[][] v = new long[FIELDS][MAX_BUCKETS];
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
    long d = t - start;
    if (d < 0) {
      d = Long.MAX_VALUE; // overflow: an absurd timestamp lands in the last bucket
    }
    long i = d / width;
    while (i >= MAX_BUCKETS && width <= Long.MAX_VALUE / 4) {
      coarsen();
      i = d / width;
    }
    if (i >= MAX_BUCKETS) {
      i = MAX_BUCKETS - 1;
    }
    if (i >= used) {
      used = (int) i + 1;
    }
    return (int) i;
  }

  public void add(int field, long t, long amount) {
    v[field][index(t)] += amount;
  }

  public void max(int field, long t, long value) {
    int i = index(t);
    if (value > v[field][i]) {
      v[field][i] = value;
    }
  }

  private void coarsen() {
    for (int f = 0; f < FIELDS; f++) {
      long[] a = v[f];
      for (int i = 0; i < MAX_BUCKETS / 2; i++) {
        a[i] = f >= FIRST_MAX_FIELD ? Math.max(a[2 * i], a[2 * i + 1]) : a[2 * i] + a[2 * i + 1];
      }
      java.util.Arrays.fill(a, MAX_BUCKETS / 2, MAX_BUCKETS, 0);
    }
    width *= 2;
    used = (used + 1) / 2;
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
