package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TargetServiceMainTest {
  @Test
  void run_unknownMode_exitCode2() {
    assertEquals(2, TargetServiceMain.run("--mode", "bogus"));
  }

  @Test
  void run_missingMode_exitCode2() {
    assertEquals(2, TargetServiceMain.run("--port", "0"));
  }

  @Test
  void run_rateAboveOne_exitCode2() {
    assertEquals(2, TargetServiceMain.run("--mode", "unsafe", "--timeout-rate", "1.5"));
  }

  @Test
  void modeParse_caseInsensitive() {
    assertEquals(Mode.CONDITIONAL, Mode.parse(" Conditional "));
  }
}
