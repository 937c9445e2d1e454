package io.racetrace.trace;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Arbitrary bytes as a queue document must read as rows or as a {@link TraceFormatException},
 * never crash the reader with anything else. Without {@code JAZZER_FUZZ=1} this replays the
 * inputs under {@code QueueFuzzTestInputs/} as a regression test; with it, Jazzer fuzzes:
 * {@code JAZZER_FUZZ=1 mvn -pl agent/trace-format test -Dtest=QueueFuzzTest -Djazzer.max_duration=60s}.
 */
class QueueFuzzTest {
  @FuzzTest
  void anyDocument(byte[] document) throws Exception {
    Path dir = Files.createTempDirectory("fuzz-queue");
    try {
      ChronicleSettings.apply();
      try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(RollCycles.FAST_DAILY)
              .blockSize(64 << 10).build();
          ExcerptAppender app = q.createAppender()) {
        try (DocumentContext dc = app.writingDocument()) {
          dc.wire().bytes().write(document);
        }
      }
      try (TraceCursor c = TraceCursor.open(dir)) {
        while (c.next() != null) {
          c.row().toString(); // every field of what was decoded is usable
        }
      } catch (TraceFormatException expected) {
        // a clear, one-line refusal is the right answer to garbage
        if (expected.getMessage().contains("\n")) {
          throw new AssertionError("multi-line error: " + expected.getMessage());
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
