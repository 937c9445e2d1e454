package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.trace.RowCodec;
import io.racetrace.trace.TraceSchema;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gives one line naming the file and the problem, exit code 2 and no stack trace - and
 * never crashes the JVM, even on a truncated memory-mapped file.
 */
class BadInputTest {
  @TempDir Path tmp;

  Path validQueue(String name) throws Exception {
    TraceBuilder b = new TraceBuilder(tmp.resolve(name));
    LostUpdateDetectorTest.seedRace(b);
    return b.build();
  }

  static Path cq4(Path queue) throws IOException {
    try (Stream<Path> s = Files.list(queue)) {
      return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
    }
  }

  /** Offset just past the last document of a queue file (where the zero header is). */
  static long dataEnd(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long pos = 0;
      while (true) {
        f.seek(pos);
        int h = Integer.reverseBytes(f.readInt());
        if (h == 0) {
          return pos;
        }
        pos = (pos + 4 + (h & 0x3FFF_FFFF) + 3) & ~3L;
      }
    }
  }

  /** Offset of the body of the first row record in a queue file. */
  static long firstRowRecord(Path file) throws IOException {
    return rowRecord(file, 0);
  }

  static boolean hasRowRecord(Path file, int n) throws IOException {
    try {
      rowRecord(file, n);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Offset of the body of the {@code n}th (from 0) row record in a queue file. */
  static long rowRecord(Path file, int n) throws IOException {
    int seen = 0;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long pos = 0;
      while (true) {
        f.seek(pos);
        int h = Integer.reverseBytes(f.readInt());
        if (h == 0) {
          throw new IllegalStateException("no row record");
        }
        if ((h & 0x4000_0000) == 0 && f.readByte() == TraceSchema.REC_ROWS && seen++ == n) {
          return pos + 4;
        }
        pos = (pos + 4 + (h & 0x3FFF_FFFF) + 3) & ~3L;
      }
    }
  }

  static void assertOneLineError(Cli c, String... fragments) {
    assertEquals(2, c.exit(), c.err());
    String[] lines = c.errLines();
    assertEquals(1, lines.length, "one line, got: " + c.err());
    assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
    for (String f : fragments) {
      assertTrue(lines[0].contains(f), "'" + f + "' in: " + lines[0]);
    }
  }

  @Test
  void missingDirectory() {
    Path missing = tmp.resolve("nope");
    assertOneLineError(Cli.run("analyze", missing.toString(), "--out", tmp.resolve("o").toString()), missing.toString(),
        "no such directory");
  }

  @Test
  void emptyDirectory() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertOneLineError(Cli.run("analyze", empty.toString(), "--out", tmp.resolve("o").toString()), "empty",
        "not a capture queue");
  }

  @Test
  void directoryThatIsNotAQueue() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("docs"));
    Files.writeString(dir.resolve("notes.txt"), "hello");
    assertOneLineError(Cli.run("analyze", dir.toString(), "--out", tmp.resolve("o").toString()), "docs",
        "no .cq4 files");
  }

  @Test
  void queueWithoutMetadataFile() throws Exception {
    Path q = validQueue("q");
    Files.delete(q.resolve("metadata.cq4t"));
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), "metadata.cq4t");
  }

  @Test
  void truncatedQueueFile_isNamedNotACrash() throws Exception {
    Path q = validQueue("q");
    Path f = cq4(q);
    long end = dataEnd(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(end - 40); // inside the last document
    }
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), f.getFileName().toString(),
        "truncated");
  }

  @Test
  void queueFileTruncatedAtADocumentBoundary() throws Exception {
    Path q = validQueue("q");
    Path f = cq4(q);
    long end = dataEnd(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(end);
    }
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), f.getFileName().toString(),
        "no end marker");
  }

  @Test
  void queueFileTruncatedToNothing() throws Exception {
    Path q = validQueue("q");
    Path f = cq4(q);
    Files.write(f, new byte[0]);
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), f.getFileName().toString(),
        "empty file");
  }

  @Test
  void corruptDocumentLength() throws Exception {
    Path q = validQueue("q");
    Path f = cq4(q);
    long rec = firstRowRecord(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(rec - 4);
      raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3FFF_FF00).array());
    }
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), f.getFileName().toString(),
        "claims");
  }

  @Test
  void corruptRowBytes() throws Exception {
    Path q = validQueue("q");
    Path f = cq4(q);
    long rec = firstRowRecord(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(rec + 4); // record type, version, row count (2): then the first row's kind
      raf.write(0x77);
    }
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), q.toString(),
        "unknown event kind 119");
  }

  /**
   * A row broken far into a large capture: the pipelined run (each queue read ahead on its own
   * thread, executions on another) stops with the same one line as the one-thread run, after the
   * same rows, and leaves no thread behind.
   */
  @Test
  void corruptRowDeepInACapture_sameErrorWhateverTheThreads() throws Exception {
    Path q = tmp.resolve("big");
    io.racetrace.synthetic.SyntheticCapture.generate(q,
        io.racetrace.synthetic.SyntheticCapture.Params.defaults(30_000));
    Path f = cq4(q.resolve("worker-0"));
    int records = 0;
    while (hasRowRecord(f, records)) {
      records++;
    }
    assertTrue(records >= 4, "row records: " + records);
    long rec = rowRecord(f, records - 2); // most rows already handed on when the reader meets it
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(rec + 4);
      raf.write(0x77);
    }
    Cli one = Cli.run("analyze", q.toString(), "--threads", "1", "--out", tmp.resolve("o1").toString());
    assertOneLineError(one, "worker-0", "unknown event kind 119");
    for (String threads : new String[] {"2", "3"}) {
      Cli more = Cli.run("analyze", q.toString(), "--threads", threads, "--out", tmp.resolve("o" + threads).toString());
      assertEquals(one.exit(), more.exit(), threads + " threads");
      assertEquals(one.err(), more.err(), threads + " threads");
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("racetrace-")),
        "no pipeline thread outlives the analysis");
  }

  @Test
  void rowsOfAnUnknownSchemaVersion() throws Exception {
    Path q = tmp.resolve("future");
    try (ChronicleQueue cq = SingleChronicleQueueBuilder.binary(q.toFile()).rollCycle(RollCycles.FAST_DAILY).build();
        var app = cq.createAppender()) {
      try (var dc = app.writingDocument()) {
        RowCodec.writeRecordStart(dc.wire().bytes(), TraceSchema.REC_HEADER);
        RowCodec.writeHeader(dc.wire().bytes(), new io.racetrace.trace.WorkerHeader(1, "w", 1, "h", 1, "a", "j", "p", "o",
            0, 0));
      }
      try (var dc = app.writingDocument()) {
        dc.wire().bytes().writeUnsignedByte(TraceSchema.REC_ROWS).writeUnsignedByte(9).writeUnsignedShort(1);
      }
    }
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), q.toString(),
        "schema version 9 is not supported");
  }

  @Test
  void usageErrors_exitTwo() {
    Cli noOut = Cli.run("analyze", tmp.toString());
    assertEquals(2, noOut.exit());
    assertTrue(noOut.err().contains("--out"), noOut.err());
    assertEquals(2, Cli.run("frobnicate").exit());
    assertEquals(2, Cli.run("analyze", tmp.toString(), "--out", tmp.toString(), "--top-keys", "0").exit());
    assertOneLineError(Cli.run("analyze", tmp.toString(), "--out", tmp.resolve("o").toString(), "--threads", "0"),
        "--threads");
  }

  /** A queue file of random bytes next to valid metadata used to read as an empty but complete capture. */
  @Test
  void queueFileOfRandomBytes_isAnInputError_notACleanCapture() throws Exception {
    Path q = validQueue("q");
    Path f = cq4(q);
    byte[] noise = new byte[(int) Files.size(f)];
    new java.util.Random(7).nextBytes(noise);
    Files.write(f, noise);
    assertOneLineError(Cli.run("analyze", q.toString(), "--out", tmp.resolve("o").toString()), q.toString(),
        "holds no racetrace capture header");
  }

  /** The same capture twice would double every count. */
  @Test
  void theSameCaptureTwice_isRefused() throws Exception {
    Path q = validQueue("q");
    Path copy = Files.createDirectory(tmp.resolve("copy"));
    try (Stream<Path> s = Files.list(q)) {
      for (Path p : s.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    assertOneLineError(Cli.run("analyze", q.toString(), copy.toString(), "--out", tmp.resolve("o").toString()),
        copy.toString(), "is the same capture as " + q);
  }

  /** Captures of different probe files, or far apart in time, are different runs: refused together unless the user says otherwise. */
  @Test
  void unrelatedCaptures_areRefusedTogether_unlessSaidToBeOneRun() throws Exception {
    Path a = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("a")).worker("a")).build();
    Path b = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("b")).worker("b").probeSource("other.yaml")).build();
    assertOneLineError(Cli.run("analyze", a.toString(), b.toString(), "--out", tmp.resolve("o").toString()),
        b.toString(), "was captured with probe file other.yaml", "not workers of one run", "--same-run");

    TraceBuilder late = new TraceBuilder(tmp.resolve("late")).worker("late");
    late.request(11, "L", "sku-9", io.racetrace.trace.Result.SUCCESS, 120_000_000, 120_000_100);
    late.read(11, "L", "sku-9", 1, 5, 120_000_010, 120_000_020);
    late.write(11, "L", "sku-9", 2, 4, 120_000_030, 120_000_040);
    Path c = late.build();
    assertOneLineError(Cli.run("analyze", a.toString(), c.toString(), "--out", tmp.resolve("o2").toString()),
        c.toString(), "starts 119 s after the last row of " + a, "not workers of one run");

    Cli ok = Cli.run("analyze", a.toString(), c.toString(), "--same-run", "--out", tmp.resolve("o3").toString());
    assertEquals(1, ok.exit(), "analyzed (the race in a fails the criteria): " + ok.err());
    assertEquals("", ok.err());
  }
}
