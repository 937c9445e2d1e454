package io.racetrace.agent.core.capture;

import io.racetrace.trace.TraceSchema;

/**
 * Decides which keys a capture keeps once the agent must shed load: a key is kept while its
 * bucket, a hash of the key in 0..65535, is below the current level. Whole keys go or stay, never
 * part of one; the level only falls, so a key kept at the end of a capture was kept from its start
 * and its history is complete.
 *
 * <p>The bucket depends only on the key's value, the same in every JVM: strings by {@link
 * String#hashCode()}, integral numbers by the hash of their decimal form (so {@code 42} and
 * {@code "42"} agree), enums by name, anything else by the string the agent records for it.
 * Worker JVMs sampling the same key space therefore keep the same keys.
 *
 * <p>Concurrency: {@link #level} is written by the writer thread and read by application threads.
 */
final class KeySampler {
  private final int floor;
  private volatile int level = TraceSchema.SAMPLE_ALL;

  /** @param floor the lowest level the sampler goes to (at least 1) */
  KeySampler(int floor) {
    this.floor = Math.max(1, Math.min(TraceSchema.SAMPLE_ALL, floor));
  }

  int level() {
    return level;
  }

  /** Lowers the level (never raises it); returns whether it changed. */
  boolean lower(int newLevel) {
    int l = Math.max(floor, newLevel);
    if (l >= level) {
      return false;
    }
    level = l;
    return true;
  }

  boolean keeps(int bucket) {
    return bucket < level;
  }

  /** The key's bucket, 0..65535; -1 for no key (rows without a key are always kept). */
  static int bucket(Object key) {
    return bucket(key, key == null ? null : String.valueOf(key));
  }

  /**
   * The key's bucket from the key and its string form (which the agent has already made, so no
   * application method is called here): -1 for no key, or a key whose string form is absent
   * because its {@code toString} threw.
   */
  static int bucket(Object key, String text) {
    if (key == null) {
      return -1;
    }
    int h;
    if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
      h = decimalHash(((Number) key).longValue());
    } else if (key instanceof Enum) {
      h = ((Enum<?>) key).name().hashCode();
    } else if (text != null) {
      h = text.hashCode();
    } else {
      return -1;
    }
    return mix(h) & 0xFFFF;
  }

  /** {@code Long.toString(v).hashCode()} without building the string. */
  static int decimalHash(long v) {
    if (v == Long.MIN_VALUE) {
      return Long.toString(v).hashCode();
    }
    int h = 0;
    if (v < 0) {
      h = '-';
      v = -v;
    }
    long p = 1;
    while (p <= v / 10) {
      p *= 10;
    }
    for (; p > 0; p /= 10) {
      h = 31 * h + (int) ('0' + v / p % 10);
    }
    return h;
  }

  /** Murmur3's finalizer: spreads String hash codes, whose low bits are poorly distributed. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
