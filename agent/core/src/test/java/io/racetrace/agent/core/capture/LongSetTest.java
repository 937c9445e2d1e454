package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongSetTest {
  @Test
  void behavesLikeASetOfLongs_throughGrowth_zeroAndNegatives() {
    LongSet s = new LongSet();
    Set<Long> ref = new HashSet<>();
    Random rnd = new Random(7);
    for (int i = 0; i < 5000; i++) {
      long v = i % 10 == 0 ? 0 : i % 3 == 0 ? -rnd.nextInt(1000) : rnd.nextInt(3000);
      assertEquals(ref.add(v), s.add(v), "add " + v);
    }
    for (long v = -1000; v < 3000; v++) {
      assertEquals(ref.contains(v), s.contains(v), "contains " + v);
    }
  }
}
