package io.racetrace.analyzer.util;

import java.util.Arrays;

/**
 * Open-addressing hash map from {@code long} to {@code long}, for 64-bit fingerprints of request
 * ids. Key {@code 0} is reserved (fingerprints are never 0).
 *
 * <p>Memory: keys and values interleaved in one {@code long[]} (a lookup touches one cache line),
 * 16 bytes a slot, at most half the slots used: 32 to 64 bytes per entry, no object per entry.
 * Removal uses backward-shift deletion, so no tombstones accumulate.
 */
public final class LongLongMap {
  private long[] t; // t[2i] = key, t[2i+1] = value
  private int size;
  private int mask; // slot mask

  public LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    t = new long[cap * 2];
    mask = cap - 1;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  public int size() {
    return size;
  }

  public boolean containsKey(long key) {
    return indexOf(key) >= 0;
  }

  /** Value for {@code key}, or {@code missing}. */
  public long get(long key, long missing) {
    int i = indexOf(key);
    return i < 0 ? missing : t[2 * i + 1];
  }

  private int indexOf(long key) {
    check(key);
    long[] a = t;
    int i = slot(key, mask);
    while (true) {
      long k = a[2 * i];
      if (k == key) {
        return i;
      }
      if (k == 0) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  public void put(long key, long value) {
    putOrReplace(key, value);
  }

  /**
   * Inserts {@code key -> value} unless {@code key} is present; returns the present value, or
   * {@code missing} if it inserted. One probe sequence for a look-up and an insert.
   */
  public long putIfAbsent(long key, long value, long missing) {
    long[] a = t;
    check(key);
    int i = slot(key, mask);
    while (true) {
      long k = a[2 * i];
      if (k == key) {
        return a[2 * i + 1];
      }
      if (k == 0) {
        a[2 * i] = key;
        a[2 * i + 1] = value;
        if (++size * 2 > mask + 1) {
          grow();
        }
        return missing;
      }
      i = (i + 1) & mask;
    }
  }

  private void putOrReplace(long key, long value) {
    long[] a = t;
    check(key);
    int i = slot(key, mask);
    while (true) {
      long k = a[2 * i];
      if (k == key) {
        a[2 * i + 1] = value;
        return;
      }
      if (k == 0) {
        a[2 * i] = key;
        a[2 * i + 1] = value;
        if (++size * 2 > mask + 1) {
          grow();
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes {@code key}; returns its value or {@code missing}. */
  public long remove(long key, long missing) {
    int i = indexOf(key);
    if (i < 0) {
      return missing;
    }
    long v = t[2 * i + 1];
    deleteAt(i);
    return v;
  }

  private void deleteAt(int i) {
    // Backward-shift deletion (Knuth 6.4, algorithm R).
    long[] a = t;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long k = a[2 * j];
      if (k == 0) {
        break;
      }
      int home = slot(k, mask);
      boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!between) {
        a[2 * i] = k;
        a[2 * i + 1] = a[2 * j + 1];
        i = j;
      }
    }
    a[2 * i] = 0;
    a[2 * i + 1] = 0;
    size--;
  }

  /** Calls {@code visitor} for every entry; it may not modify the map. */
  public void forEach(Visitor visitor) {
    for (int i = 0; i <= mask; i++) {
      if (t[2 * i] != 0) {
        visitor.visit(t[2 * i], t[2 * i + 1]);
      }
    }
  }

  /** Removes every entry whose value is below {@code limit}; returns how many it removed. */
  public int removeValuesBelow(long limit) {
    int removed = 0;
    for (int i = 0; i <= mask; ) {
      if (t[2 * i] != 0 && t[2 * i + 1] < limit) {
        deleteAt(i); // shifts a later entry into slot i: look at it again
        removed++;
      } else {
        i++;
      }
    }
    return removed;
  }

  public void clear() {
    Arrays.fill(t, 0);
    size = 0;
  }

  private void grow() {
    long[] old = t;
    t = new long[old.length * 2];
    mask = (t.length / 2) - 1;
    size = 0;
    for (int i = 0; i < old.length; i += 2) {
      if (old[i] != 0) {
        putOrReplace(old[i], old[i + 1]);
      }
    }
  }

  private static void check(long key) {
    if (key == 0) {
      throw new IllegalArgumentException("key 0 is reserved");
    }
  }

  /** Receives entries from {@link #forEach}. */
  @FunctionalInterface
  public interface Visitor {
    void visit(long key, long value);
  }
}
