package io.racetrace.samples;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import io.racetrace.workload.TwoClientReproducer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race on demand: the agent's rendezvous holds each of two requests after its read of the
 * last unit until the other has read it too. Against the unsafe service, every run oversells;
 * against the conditional one, none does. The service's code is the same in both: only the
 * probe file asks for the rendezvous.
 */
class ReproducerIT {
  static final Path REPRODUCE = ServiceProcess.ROOT.resolve("samples/probes/target-service-reproduce.yaml");

  @TempDir Path tmp;

  /**
   * The sample probe file with a rendezvous timeout no busy machine reaches: the timeout only
   * guards the app against a second party that never comes, and the test asserts the race happens
   * whenever both parties do come, however slowly a loaded machine schedules them.
   */
  Path probes() throws Exception {
    String yaml = java.nio.file.Files.readString(REPRODUCE);
    assertTrue(yaml.contains("  timeout: 2s\n"), "the sample's rendezvous timeout");
    Path p = tmp.resolve("reproduce.yaml");
    java.nio.file.Files.writeString(p, yaml.replace("  timeout: 2s\n", "  timeout: 120s\n"));
    return p;
  }

  static TwoClientReproducer.Report race(ServiceProcess svc, int runs) throws Exception {
    return new TwoClientReproducer(new TwoClientReproducer.Config(List.of(svc.uri), "race-sku", runs, 1, Map.of())).run();
  }

  @Test
  void rendezvous_oversellsTheUnsafeService_inEveryRun() throws Exception {
    Path queue = tmp.resolve("unsafe");
    TwoClientReproducer.Report report;
    try (ServiceProcess svc = new ServiceProcess(probes(), queue, "--mode", "unsafe")) {
      report = race(svc, 100);
    }
    assertEquals(100, report.oversoldRuns(), report.summary());

    // The capture shows why: in every run both requests read version v and both wrote v+1.
    List<TraceRow> writes = new ArrayList<>();
    long injected = 0;
    try (TraceCursor c = TraceCursor.open(queue)) {
      TraceCursor.Record r;
      while ((r = c.next()) != null) {
        if (r == TraceCursor.Record.ROW && c.row().kind == EventKind.WRITE && !c.row().has(TraceSchema.F_NO_REQUEST)) {
          writes.add(c.row().copy());
        } else if (r == TraceCursor.Record.ROW && c.row().has(TraceSchema.F_INJECTED)) {
          injected++;
        }
      }
      assertTrue(c.sawFooter());
    }
    assertEquals(200, writes.size(), "two reservation writes per run (the seeding writes between runs are not counted)");
    assertEquals(200, injected, "every read of race-sku was held at the rendezvous");
    for (int i = 0; i < writes.size(); i += 2) {
      assertEquals(writes.get(i).writtenVersion, writes.get(i + 1).writtenVersion, "both writes of a run write the same version");
    }
  }

  @Test
  void rendezvous_cannotBreakTheConditionalService() throws Exception {
    TwoClientReproducer.Report report;
    try (ServiceProcess svc = new ServiceProcess(probes(), tmp.resolve("conditional"), "--mode", "conditional")) {
      report = race(svc, 30);
    }
    assertEquals(0, report.oversoldRuns(), report.summary());
  }
}
