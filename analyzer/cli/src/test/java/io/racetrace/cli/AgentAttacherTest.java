package io.racetrace.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The checks attach and detach make before the Attach API is touched. The forked-JVM tests
 * (AttachIT) cover a pid that is no JVM and one that has exited; a JVM of another OS user needs a
 * second user on the machine, so here racetrace is told it runs as another user than the one
 * that owns a live process (this test JVM's own child).
 */
class AgentAttacherTest {
  @Test
  void aJvmOfAnotherUser_getsOneClearLine() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      String owner = child.info().user().orElseThrow();
      UserException e = assertThrows(UserException.class, () -> AgentAttacher.checkTarget(child.pid(), "someone-else"));
      assertEquals(RacetraceMain.FAILED, e.exitCode);
      assertEquals("process " + child.pid() + " belongs to user " + owner
          + "; only the same OS user can attach (run racetrace as " + owner + ")", e.getMessage());
      // root may attach to any user's JVM: the check lets it through to the next one (not a JVM).
      UserException asRoot = assertThrows(UserException.class, () -> AgentAttacher.checkTarget(child.pid(), "root"));
      assertTrue(asRoot.getMessage().endsWith("is not a JVM"), asRoot.getMessage());
    } finally {
      child.destroyForcibly().waitFor();
    }
  }
}
