package io.racetrace.agent.core.capture;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.TraceCursor;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import io.racetrace.trace.WorkerHeader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer thread over a real queue on disk: it only encodes and writes, and owns the queue to its footer. */
class QueueWriterThreadTest {
  @TempDir Path tmp;

  private QueueWriterThread writer(CaptureSink sink, CaptureStats stats, Path queue) throws Exception {
    TraceQueueWriter w = TraceQueueWriter.open(queue);
    WorkerHeader h = new WorkerHeader(TraceSchema.VERSION, "w1", 1, "host", 42, "test", "jvm", "probes.yaml", "", 0, 0);
    ProbeStatus[] status = {new ProbeStatus(0, "reserve", "request", "test.Service#reserve", 1),
        new ProbeStatus(1, "read", "read", "test.Store#read", 1)};
    return new QueueWriterThread(sink, stats, w, h, 0, null, () -> status);
  }

  /** A request id whose toString throws (the tenth of 100) used to break the writer for good. */
  @Test
  void badRequestId_costsOneField_notTheCapture() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(CaptureSinkTest.probes().probes(), null, 1024, stats);
    Path queue = tmp.resolve("q");
    QueueWriterThread w = writer(sink, stats, queue);
    w.start();
    for (int i = 0; i < 100; i++) {
      Object id = new CaptureSinkTest.Hostile("r" + i, i == 9);
      CaptureSinkTest.request(sink, id, "sku-1", "OK");
    }
    assertTrue(w.shutdown(30_000), "the writer finishes");

    Written written = read(queue);
    List<TraceRow> rows = written.rows();
    CaptureCounters footer = written.footer();
    assertNotNull(footer, "closed with its footer");
    assertEquals(200, rows.size());
    assertEquals(200, footer.rowsWritten());
    assertEquals(0, footer.droppedWriteError());
    assertEquals(1, footer.extractorErrors());
    assertEquals(2, rows.stream().filter(r -> r.requestId == null).count(), "r9's read and request rows, without an id");
    assertEquals(99, rows.stream().filter(r -> r.kind == EventKind.REQUEST && r.requestId != null).count());
  }

  /** The caller of shutdown never drains: the writer writes the footer itself, on its own thread. */
  @Test
  void shutdown_isFinishedByTheWriterThread() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(CaptureSinkTest.probes().probes(), null, 1024, stats);
    Path queue = tmp.resolve("q");
    QueueWriterThread w = writer(sink, stats, queue);
    // Not started: a shutdown must not drain on the caller's thread or touch the appender.
    for (int i = 0; i < 10; i++) {
      CaptureSinkTest.request(sink, "r" + i, "sku-1", "OK");
    }
    assertFalse(w.isAlive());
    w.shutdown(100);
    assertEquals(20, sink.ring().rowsInFlight(), "rows stay in the ring for the writer");
    assertEquals(0, stats.snapshot(0).rowsWritten());
  }

  /**
   * The writer sleeps on a 100 ms timer and is woken by the ring each quarter filled: 4,000 rows
   * through an 8 KB ring (about 160 of these rows), the producer holding back only while the ring
   * is three quarters full, all written, none dropped.
   */
  @Test
  void burstThroughASmallRing_isWokenByTheRing_andWrittenWhole() throws Exception {
    CaptureStats stats = new CaptureStats();
    CaptureSink sink = new CaptureSink(CaptureSinkTest.probes().probes(), null, 64, stats);
    Path queue = tmp.resolve("q");
    QueueWriterThread w = writer(sink, stats, queue);
    w.start();
    for (int i = 0; i < 2_000; i++) {
      while (sink.ring().usedBytes() > sink.ring().capacity() * 3 / 4) {
        Thread.onSpinWait();
      }
      CaptureSinkTest.request(sink, "r" + i, "sku-" + (i % 7), "OK");
    }
    assertSame(w, sink.ring().consumer(), "the writer is the thread the ring wakes");
    assertTrue(w.shutdown(30_000), "the writer finishes");
    Written written = read(queue);
    assertEquals(4_000, written.rows().size());
    for (TraceRow r : written.rows()) {
      assertEquals("sku-" + (Integer.parseInt(r.requestId.substring(1)) % 7), r.key, "each row's own id and key");
    }
    CaptureCounters footer = written.footer();
    assertNotNull(footer);
    assertEquals(0, footer.droppedRingFull());
    assertEquals(4_000, footer.rowsWritten());
  }

  /** The rows and the footer of a queue, as the analyzer reads them. */
  private record Written(List<TraceRow> rows, CaptureCounters footer) {}

  private static Written read(Path queue) throws Exception {
    List<TraceRow> rows = new ArrayList<>();
    CaptureCounters footer = null;
    try (TraceCursor c = TraceCursor.open(queue)) {
      for (TraceCursor.Record r; (r = c.next()) != null; ) {
        if (r == TraceCursor.Record.ROW) {
          rows.add(c.row().copy());
        } else if (r == TraceCursor.Record.FOOTER) {
          footer = c.counters();
        }
      }
    }
    return new Written(rows, footer);
  }
}
