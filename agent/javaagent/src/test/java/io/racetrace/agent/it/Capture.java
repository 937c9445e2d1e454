package io.racetrace.agent.it;

import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.WorkerHeader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Everything a capture queue holds, read back into memory for assertions. */
final class Capture {
  final List<WorkerHeader> headers = new ArrayList<>();
  final List<TraceRow> rows = new ArrayList<>();
  final Map<Integer, ProbeStatus> probes = new HashMap<>();
  final Map<Long, String> threads = new HashMap<>();
  final List<io.racetrace.trace.SamplingChange> sampling = new ArrayList<>();
  CaptureCounters counters;
  boolean footer;

  static Capture read(Path queue) throws Exception {
    Capture c = new Capture();
    try (TraceCursor cur = TraceCursor.open(queue)) {
      TraceCursor.Record r;
      while ((r = cur.next()) != null) {
        switch (r) {
          case HEADER: c.headers.add(cur.header()); break;
          case ROW: c.rows.add(cur.row().copy()); break;
          case PROBE: c.probes.put(cur.probe().probeId(), cur.probe()); break;
          case THREAD: c.threads.put(cur.threadId(), cur.threadName()); break;
          case COUNTERS: c.counters = cur.counters(); break;
          case FOOTER: c.counters = cur.counters(); c.footer = true; break;
          case SAMPLING: c.sampling.add(cur.sampling()); break;
          default: break;
        }
      }
    }
    return c;
  }

  List<TraceRow> forRequest(String id) {
    return rows.stream().filter(r -> id.equals(r.requestId)).collect(Collectors.toList());
  }

  String probeName(TraceRow r) {
    return probes.get(r.probeId).name();
  }

  @Override
  public String toString() {
    return rows.stream().map(TraceRow::toString).collect(Collectors.joining("\n"));
  }
}
