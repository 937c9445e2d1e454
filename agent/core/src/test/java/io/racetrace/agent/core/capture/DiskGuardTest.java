package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DiskGuardTest {
  long free = 10_000;
  int reads;
  boolean failing;

  final DiskGuard guard = new DiskGuard(() -> {
    reads++;
    if (failing) {
      throw new IOException("gone");
    }
    return free;
  }, 1000, 500);

  @Test
  void lowBelowTheThreshold_rereadAtMostOncePerInterval() {
    assertFalse(guard.low(0));
    free = 999;
    assertFalse(guard.low(499), "not re-read within the interval");
    assertEquals(1, reads);
    assertTrue(guard.low(500));
    assertEquals(2, reads);
    free = 5000;
    assertTrue(guard.low(999));
    assertFalse(guard.low(1000), "writing resumes once space is back");
  }

  @Test
  void freeSpaceThatCannotBeRead_isLow() {
    failing = true;
    assertTrue(guard.low(0), "cannot tell: assume the disk is full rather than risk SIGBUS in the app");
  }
}
