package io.racetrace.analyzer.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Open-addressing hash map from non-zero {@code long} keys (fingerprints, thread ids shifted to
 * be non-zero) to objects, without boxing. Memory: 12 to 16 bytes a slot plus the values.
 */
public final class LongObjMap<V> {
  private long[] keys;
  private Object[] values;
  private int size;
  private int mask;

  public LongObjMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new Object[cap];
    mask = cap - 1;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  public int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  public V get(long key) {
    int i = slot(key, mask);
    while (true) {
      long k = keys[i];
      if (k == key) {
        return (V) values[i];
      }
      if (k == 0) {
        return null;
      }
      i = (i + 1) & mask;
    }
  }

  public void put(long key, V value) {
    if (key == 0) {
      throw new IllegalArgumentException("key 0 is reserved");
    }
    int i = slot(key, mask);
    while (true) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
          grow();
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** All values, in no particular order. */
  @SuppressWarnings("unchecked")
  public List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        out.add((V) values[i]);
      }
    }
    return out;
  }

  private void grow() {
    long[] ok = keys;
    Object[] ov = values;
    keys = new long[ok.length * 2];
    values = new Object[ok.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != 0) {
        @SuppressWarnings("unchecked")
        V v = (V) ov[i];
        put(ok[i], v);
      }
    }
  }
}
