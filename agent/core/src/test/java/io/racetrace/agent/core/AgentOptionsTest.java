package io.racetrace.agent.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {
  @Test
  void defaults() {
    AgentOptions o = AgentOptions.parse("probes=p.yaml,queue=q");
    assertFalse(o.callEntryTime);
    assertEquals(0, o.budgetPermille);
    assertNull(o.hashSalt);
    assertEquals(1 << 15, o.ringCapacity);
    assertEquals(100, o.flushMillis, "the writer's timer: the longest a row waits in memory");
  }

  @Test
  void callTimingAndBudget() {
    AgentOptions o = AgentOptions.parse("probes=p.yaml,queue=q,callTiming=full,budget=2.5%");
    assertTrue(o.callEntryTime);
    assertEquals(25, o.budgetPermille);
    assertEquals(50, AgentOptions.parse("probes=p,queue=q,budget=5").budgetPermille);
    assertEquals(64, o.sampleFloorLevel, "default floor: one key in 1024");
    assertEquals(16384, AgentOptions.parse("probes=p,queue=q,budget=5,sampleFloor=25%").sampleFloorLevel);
  }

  @Test
  void badValues_areOneLineErrorsNamingTheOption() {
    assertError("callTiming must be exit or full, not 'entry'", "probes=p,queue=q,callTiming=entry");
    assertError("budget must be a percentage from 0.1 to 100, not 'lots'", "probes=p,queue=q,budget=lots");
    assertError("budget must be a percentage from 0.1 to 100, not '0'", "probes=p,queue=q,budget=0");
    assertError("budget must be a percentage from 0.1 to 100, not '150%'", "probes=p,queue=q,budget=150%");
    assertError("ring must be a power of two from 64 to 8388608, not 100", "probes=p,queue=q,ring=100");
    assertError("ring must be a power of two from 64 to 8388608, not 16777216", "probes=p,queue=q,ring=16777216");
    assertError("sampleFloor needs a budget (budget=PERCENT)", "probes=p,queue=q,sampleFloor=10");
    assertError("sampleFloor must be a percentage from 0.01 to 100, not '0'", "probes=p,queue=q,budget=1,sampleFloor=0");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("probes=p,queue=q,bogus=1"))
        .getMessage().startsWith("unknown agent option 'bogus' (known: "));
  }

  @Test
  void toString_masksTheHashSalt() {
    assertEquals("probes=p,queue=q,hashIds=true,hashSalt=***",
        AgentOptions.parse("probes=p,queue=q,hashIds=true,hashSalt=secret").toString());
  }

  private static void assertError(String message, String args) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(args)).getMessage());
  }
}
