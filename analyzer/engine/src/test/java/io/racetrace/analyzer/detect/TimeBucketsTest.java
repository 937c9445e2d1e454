package io.racetrace.analyzer.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeBucketsTest {

  /**
   * Events spread over up to an hour (so the buckets coarsen many times, from starts that are not
   * multiples of the final width), split at random over 2-4 instances and merged: the buckets a
   * single instance fed every event makes, exactly.
   */
  @Test
  void merge_ofRandomPartitions_equalsOneInstanceFedEverything() {
    Random rnd = new Random(20261202);
    int coarsened = 0;
    for (int run = 0; run < 500; run++) {
      long t0 = 1_764_000_000_000_000_000L + rnd.nextLong(1_000_000_000_000L);
      long span = 1 + rnd.nextLong(run % 2 == 0 ? 2_000_000_000L : 3_600_000_000_000L);
      int parts = 2 + rnd.nextInt(3);
      TimeBuckets one = new TimeBuckets();
      TimeBuckets[] split = new TimeBuckets[parts];
      for (int p = 0; p < parts; p++) {
        split[p] = new TimeBuckets();
      }
      int n = 1 + rnd.nextInt(2000);
      long t = t0;
      for (int i = 0; i < n; i++) {
        t += rnd.nextLong(1 + 2 * span / n); // merged end-time order, as the reader gives them
        int field = rnd.nextInt(TimeBuckets.FIELDS);
        long v = rnd.nextInt(1000);
        TimeBuckets into = split[rnd.nextInt(parts)];
        if (field >= TimeBuckets.FIRST_MAX_FIELD) {
          one.max(field, t, v);
          into.max(field, t, v);
        } else {
          one.add(field, t, v);
          into.add(field, t, v);
        }
      }
      for (int p = 1; p < parts; p++) {
        split[0].merge(split[p]);
      }
      String where = "run " + run;
      assertEquals(one.width(), split[0].width(), where);
      assertEquals(one.start(), split[0].start(), where);
      assertEquals(one.used(), split[0].used(), where);
      assertEquals(one.rows(t0), split[0].rows(t0), where);
      assertEquals(0, Math.floorMod(one.start(), one.width()), where + ": bucket boundaries are multiples of the width");
      if (one.width() > TimeBuckets.START_WIDTH) {
        coarsened++;
      }
    }
    assertTrue(coarsened > 200, "runs whose buckets coarsened: " + coarsened);
  }

  @Test
  void merge_intoAnEmptyInstance_copies() {
    TimeBuckets a = new TimeBuckets();
    TimeBuckets b = new TimeBuckets();
    b.add(TimeBuckets.REQUESTS, 5_000_000_000L, 3);
    a.merge(b);
    assertEquals(3, a.get(TimeBuckets.REQUESTS, 0));
    b.add(TimeBuckets.REQUESTS, 5_000_000_000L, 1);
    assertEquals(3, a.get(TimeBuckets.REQUESTS, 0), "the merged copy does not share the other's arrays");
  }
}
