package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.agent.core.AgentOptions;
import io.racetrace.trace.TraceSchema;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeySamplerTest {
  enum Sku { RED, BLUE }

  @Test
  void decimalHash_equalsTheStringsHash() {
    long[] edge = {0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MIN_VALUE};
    for (long v : edge) {
      assertEquals(Long.toString(v).hashCode(), KeySampler.decimalHash(v), Long.toString(v));
    }
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long v = rnd.nextLong() >> rnd.nextInt(64);
      assertEquals(Long.toString(v).hashCode(), KeySampler.decimalHash(v), Long.toString(v));
    }
  }

  @Test
  void bucket_dependsOnTheKeysValueOnly() {
    assertEquals(KeySampler.bucket("42"), KeySampler.bucket(42L));
    assertEquals(KeySampler.bucket("42"), KeySampler.bucket(42));
    assertEquals(KeySampler.bucket("-7"), KeySampler.bucket((short) -7));
    assertEquals(KeySampler.bucket("RED"), KeySampler.bucket(Sku.RED));
    assertEquals(KeySampler.bucket(new StringBuilder("sku-1")), KeySampler.bucket("sku-1"));
    assertEquals(-1, KeySampler.bucket(null));
  }

  @Test
  void buckets_spreadEvenly_evenForSequentialKeys() {
    int[] quarters = new int[4];
    for (int i = 0; i < 40_000; i++) {
      int b = KeySampler.bucket("sku-" + i);
      assertTrue(b >= 0 && b < TraceSchema.SAMPLE_ALL);
      quarters[b >> 14]++;
    }
    for (int q : quarters) {
      assertTrue(q > 9_000 && q < 11_000, java.util.Arrays.toString(quarters));
    }
  }

  @Test
  void level_onlyFalls_andNeverBelowTheFloor() {
    KeySampler s = new KeySampler(AgentOptions.DEFAULT_SAMPLE_FLOOR_LEVEL);
    assertTrue(s.keeps(TraceSchema.SAMPLE_ALL - 1));
    assertTrue(s.lower(1000));
    assertFalse(s.keeps(1000));
    assertTrue(s.keeps(999));
    assertFalse(s.lower(2000), "a level never rises");
    assertEquals(1000, s.level());
    assertTrue(s.lower(0));
    assertEquals(AgentOptions.DEFAULT_SAMPLE_FLOOR_LEVEL, s.level());
    assertFalse(s.lower(0));
  }

  @Test
  void floor_isConfigurable() {
    KeySampler s = new KeySampler(16_384);
    assertTrue(s.lower(100));
    assertEquals(16_384, s.level(), "never below a quarter of the keys");
  }
}
