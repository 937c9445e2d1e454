package io.racetrace.agent.core.probe;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes as a probe file must parse or fail with a one-line {@link ProbeFileException}, never
 * anything else: the agent runs inside the user's JVM. Regression inputs are under
 * {@code ProbeFileFuzzTestInputs/}; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -pl agent/core test -Dtest=ProbeFileFuzzTest -Djazzer.max_duration=60s}.
 */
class ProbeFileFuzzTest {
  @FuzzTest
  void anyProbeFile(byte[] content) {
    for (boolean json : new boolean[] {false, true}) {
      try {
        ProbeFileParser.parse("p.yaml", content, json);
      } catch (ProbeFileException expected) {
        if (expected.getMessage().contains("\n")) {
          throw new AssertionError("multi-line error: " + expected.getMessage());
        }
      }
    }
  }
}
