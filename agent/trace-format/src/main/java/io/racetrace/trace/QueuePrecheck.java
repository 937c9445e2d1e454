package io.racetrace.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks the files of a queue directory with plain reads before Chronicle memory-maps them.
 *
 * <p>Why: Chronicle maps queue files and reads past their end if a file was truncated (a partial
 * copy, a full disk); on Linux that raises SIGBUS, which the JVM turns into an {@code
 * InternalError} at some later, unrelated instruction, or a crash. Measured on Chronicle Queue
 * 2026.4: a 20,000-row queue cut to 500 KB, 100 KB or 1 KB failed with "a fault occurred in a recent
 * unsafe memory access operation"; cut to 0 bytes it read as an empty queue.
 *
 * <p>How: a Chronicle file is a sequence of documents, each a 4-byte little-endian header (bit 31
 * "not complete", bit 30 "metadata", bits 0-29 the length) and its body, 4-byte aligned; a zero
 * header marks the end of the data (the rest of the pre-allocated file is zeros) and {@code
 * 0xC0000000} marks the end of a rolled file. Walking the headers costs one small read per document
 * (a document holds up to 4096 rows). The walk fails if a document claims more bytes than the file
 * has, or if the data runs to the very end of the file with no end marker.
 *
 * <p>A "not complete" header is what a writer killed in the middle of a document leaves behind:
 * the walk stops there and reports it, and the analysis treats it as a cut-off tail rather than an
 * error (Chronicle's reader stops at the same place).
 */
public final class QueuePrecheck {
  static final int NOT_COMPLETE = 0x8000_0000;
  static final int META_DATA = 0x4000_0000;
  static final int LENGTH_MASK = 0x3FFF_FFFF;
  static final int END_OF_FILE = NOT_COMPLETE | META_DATA;

  private QueuePrecheck() {}

  /** What the walk found in one queue directory. */
  public record Result(List<Path> files, List<String> incompleteTails) {}

  /** Checks {@code dir}; throws a one-line {@link TraceFormatException} naming the bad file. */
  public static Result check(Path dir) throws TraceFormatException {
    if (!Files.exists(dir)) {
      throw new TraceFormatException(dir, "no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new TraceFormatException(dir, "not a directory (expected a capture queue directory)");
    }
    List<Path> cq4 = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().forEach(cq4::add);
    } catch (IOException e) {
      throw new TraceFormatException(dir, "cannot list directory: " + e.getMessage());
    }
    if (cq4.isEmpty()) {
      throw new TraceFormatException(dir, "not a capture queue: no .cq4 files in the directory");
    }
    Path meta = dir.resolve("metadata.cq4t");
    if (!Files.isRegularFile(meta)) {
      throw new TraceFormatException(dir, "not a capture queue: metadata.cq4t is missing");
    }
    List<String> tails = new ArrayList<>();
    walk(meta, tails);
    for (Path f : cq4) {
      walk(f, tails);
    }
    List<Path> all = new ArrayList<>(cq4);
    all.add(meta);
    return new Result(all, tails);
  }

  static void walk(Path file, List<String> incompleteTails) throws TraceFormatException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        throw new TraceFormatException(file, "empty file (truncated queue file?)");
      }
      ByteBuffer hb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      long pos = 0;
      int documents = 0;
      while (true) {
        if (pos == size) {
          throw new TraceFormatException(file, "data runs to the end of the file (" + size
              + " bytes) with no end marker: the file was truncated");
        }
        if (pos + 4 > size) {
          throw new TraceFormatException(file, "file ends inside a document header at byte " + pos
              + " of " + size + ": the file was truncated");
        }
        hb.clear();
        readFully(ch, hb, pos);
        int header = hb.getInt(0);
        if (header == 0 || header == END_OF_FILE) {
          if (documents == 0) {
            throw new TraceFormatException(file, "no queue header at the start of the file (corrupt or not a queue file)");
          }
          return;
        }
        long length = header & LENGTH_MASK;
        if ((header & NOT_COMPLETE) != 0) {
          incompleteTails.add(file.getFileName() + ": unfinished document at byte " + pos
              + " (the writer stopped while writing it)");
          return;
        }
        if (pos + 4 + length > size) {
          throw new TraceFormatException(file, "document at byte " + pos + " claims " + length
              + " bytes but the file has only " + (size - pos - 4) + " left: the file was truncated or is corrupt");
        }
        pos = (pos + 4 + length + 3) & ~3L;
        documents++;
      }
    } catch (IOException e) {
      throw new TraceFormatException(file, "cannot read: " + e.getMessage());
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (pos + b.position()));
      }
    }
  }
}
