package io.racetrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.racetrace.agent.bootstrap.Dispatcher;
import org.junit.jupiter.api.Test;

class BridgeVersionTest {
  /** The premain checks a bridge already on the bootstrap path against its own version: the two must agree. */
  @Test
  void premainKnowsTheVersionOfTheBridgeItShips() {
    assertEquals(Dispatcher.BRIDGE_VERSION, RacetracePremain.BRIDGE_VERSION);
  }
}
