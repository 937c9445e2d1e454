package io.racetrace.samples.foreign.desk;

import java.util.HashMap;
import java.util.Map;

/**
 * The desk's store: seats left per show, an int, and nothing else the caller sees (no version
 * anywhere). Each call is atomic. Its own books, the ground truth: a count of writes per show, the
 * count each thread saw at its last read of the show, and so how many writes were applied over a
 * state that was no longer current and how many writes old that state was; also the same judged
 * by value alone (the count written since changed and changed back, ABA, is current by value).
 */
public final class Seats {
  private final Map<String, int[]> left = new HashMap<>();
  private final Map<String, Long> writeCount = new HashMap<>();
  private final Map<String, Integer> initial = new HashMap<>();
  private final ThreadLocal<Map<String, long[]>> readAt = ThreadLocal.withInitial(HashMap::new);
  private long writes;
  private long staleWrites;
  private long staleByValue;
  private long staleWrites64;
  private long maxStaleness;
  private long unitsErased;

  public synchronized void open(String show, int seats) {
    left.put(show, new int[] {seats});
    writeCount.put(show, 0L);
    initial.put(show, seats);
  }

  public synchronized int seatsLeft(String show) {
    int n = left.get(show)[0];
    readAt.get().put(show, new long[] {writeCount.get(show), n});
    return n;
  }

  public synchronized void setSeatsLeft(String show, int n) {
    long[] read = readAt.get().get(show);
    if (read == null) {
      throw new IllegalStateException("a write of " + show + " without a read on this thread");
    }
    long behind = writeCount.get(show) - read[0];
    int current = left.get(show)[0];
    writes++;
    if (behind != 0) {
      staleWrites++;
      maxStaleness = Math.max(maxStaleness, behind);
      if (behind >= 64) {
        staleWrites64++;
      }
    }
    if (current != read[1]) {
      staleByValue++;
      unitsErased += read[1] - current;
    }
    left.get(show)[0] = n;
    writeCount.merge(show, 1L, Long::sum);
  }

  synchronized Map<String, Integer> left() {
    Map<String, Integer> m = new HashMap<>();
    left.forEach((k, v) -> m.put(k, v[0]));
    return m;
  }

  synchronized int initial(String show) { return initial.get(show); }
  synchronized long writes() { return writes; }
  synchronized long staleWrites() { return staleWrites; }
  synchronized long staleByValue() { return staleByValue; }
  synchronized long staleWrites64() { return staleWrites64; }
  synchronized long maxStaleness() { return maxStaleness; }
  synchronized long unitsErased() { return unitsErased; }
}
