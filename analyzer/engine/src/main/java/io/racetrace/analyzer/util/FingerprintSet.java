package io.racetrace.analyzer.util;

/**
 * A set of 64-bit fingerprints, each with a 2-bit state, in one {@code long[]}: the low two bits of
 * a slot hold the state (1..3, never 0, so an empty slot is 0), the other 62 bits the fingerprint.
 *
 * <p>Memory: 8 bytes a slot, at most half the slots used: 16 to 32 bytes per fingerprint, no
 * object per entry. Two fingerprints that differ only in their low two bits are the same entry:
 * with 62 bits left, n ids share one with probability about n^2 / 2^63.
 */
public final class FingerprintSet {
  private long[] t;
  private int size;
  private int mask;

  public FingerprintSet(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    t = new long[cap];
    mask = cap - 1;
  }

  private static int slot(long fp, int mask) {
    long h = (fp & ~3L) * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  public int size() {
    return size;
  }

  /** Index of {@code key}'s entry, or of the empty slot where it belongs. */
  private int find(long key) {
    int i = slot(key, mask);
    while (t[i] != 0 && (t[i] & ~3L) != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** The state of {@code fp}, or 0 if absent. */
  public int state(long fp) {
    return (int) (t[find(fp & ~3L)] & 3);
  }

  /** Returns the state of {@code fp} if present; else inserts it with {@code state} and returns 0. */
  public int addIfAbsent(long fp, int state) {
    long key = fp & ~3L;
    int i = find(key);
    if (t[i] != 0) {
      return (int) (t[i] & 3);
    }
    insertAt(i, key, state);
    return 0;
  }

  /** Sets the state of {@code fp}, inserting it if absent. */
  public void set(long fp, int state) {
    long key = fp & ~3L;
    int i = find(key);
    if (t[i] != 0) {
      t[i] = key | state;
    } else {
      insertAt(i, key, state);
    }
  }

  private void insertAt(int i, long key, int state) {
    t[i] = key | state;
    if (++size * 2 > t.length) {
      grow();
    }
  }

  private void grow() {
    long[] old = t;
    t = new long[old.length * 2];
    mask = t.length - 1;
    size = 0;
    for (long e : old) {
      if (e != 0) {
        set(e, (int) (e & 3));
      }
    }
  }

  /** Adds every fingerprint of {@code o}; one present in both keeps the higher state. */
  public void addAll(FingerprintSet o) {
    for (long e : o.t) {
      if (e != 0) {
        int st = (int) (e & 3);
        int mine = state(e);
        if (st > mine) {
          set(e, st);
        }
      }
    }
  }
}
