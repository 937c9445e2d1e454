package io.racetrace.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reused demo --out loses the captures and ground truth of the earlier run, and nothing else. */
class DemoOutTest {
  @TempDir Path out;

  Path file(String path) throws Exception {
    Path f = out.resolve(path);
    Files.createDirectories(f.getParent());
    return Files.writeString(f, path);
  }

  @Test
  void earlierCapturesAndGroundTruth_areRemoved_otherFilesKept() throws Exception {
    Path[] gone = {file("unsafe/load/queue/20261122F.cq4"), file("unsafe/load/queue/metadata.cq4t"),
        file("unsafe/load/ground-truth.json"), file("unsafe/race/race.txt"), file("conditional/load/queue-2/20261122F.cq4")};
    Path[] kept = {file("unsafe/load/queue/notes.txt"), file("unsafe/load/report/report.json"),
        file("unsafe/load/mine.txt"), file("elsewhere/load/queue/20261122F.cq4"), file("unsafe/load/queues/x.cq4"),
        file("unsafe/service-1.log")};

    assertTrue(DemoOut.clearEarlierRun(out));
    for (Path f : gone) {
      assertFalse(Files.exists(f), f.toString());
    }
    for (Path f : kept) {
      assertTrue(Files.exists(f), f.toString());
    }
    assertFalse(DemoOut.clearEarlierRun(out), "nothing left of an earlier run");
    assertFalse(DemoOut.clearEarlierRun(out.resolve("fresh")), "a new --out");
  }
}
