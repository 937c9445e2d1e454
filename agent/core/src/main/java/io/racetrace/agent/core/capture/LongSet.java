package io.racetrace.agent.core.capture;

/**
 * An open-addressing set of longs, so the writer thread can remember which thread ids it has named
 * without boxing one {@code Long} per row. Single-threaded. Zero is stored out of band.
 */
final class LongSet {
  private long[] table = new long[64];
  private int size;
  private boolean hasZero;

  boolean contains(long v) {
    if (v == 0) {
      return hasZero;
    }
    long[] t = table;
    int mask = t.length - 1;
    for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
      if (t[i] == v) {
        return true;
      }
      if (t[i] == 0) {
        return false;
      }
    }
  }

  /** Adds {@code v}; returns false if it was there already. */
  boolean add(long v) {
    if (v == 0) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if (contains(v)) {
      return false;
    }
    if ((size + 1) * 2 > table.length) {
      grow();
    }
    insert(table, v);
    size++;
    return true;
  }

  private static void insert(long[] t, long v) {
    int mask = t.length - 1;
    int i = mix(v) & mask;
    while (t[i] != 0) {
      i = (i + 1) & mask;
    }
    t[i] = v;
  }

  private void grow() {
    long[] bigger = new long[table.length * 2];
    for (long v : table) {
      if (v != 0) {
        insert(bigger, v);
      }
    }
    table = bigger;
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
