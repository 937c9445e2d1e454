package io.racetrace.analyzer.read;

import io.racetrace.trace.TraceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Resolves the command line's QUEUE_DIR arguments: a queue directory stands for itself; a
 * directory without {@code .cq4} files whose subdirectories are queues (a capture directory with
 * one queue per worker) stands for those subdirectories. Anything else is left for {@link
 * io.racetrace.trace.QueuePrecheck} to reject with a precise message.
 */
public final class QueueDirs {
  private QueueDirs() {}

  public static List<Path> expand(List<Path> args) throws TraceFormatException {
    Set<Path> out = new LinkedHashSet<>();
    for (Path p : args) {
      Path a = p.toAbsolutePath().normalize();
      if (Files.isDirectory(a) && !hasCq4(a)) {
        List<Path> subs = new ArrayList<>();
        try (Stream<Path> s = Files.list(a)) {
          s.filter(Files::isDirectory).filter(QueueDirs::hasCq4).sorted().forEach(subs::add);
        } catch (IOException e) {
          throw new TraceFormatException(a, "cannot list directory: " + e.getMessage());
        }
        if (!subs.isEmpty()) {
          out.addAll(subs);
          continue;
        }
      }
      out.add(a);
    }
    return new ArrayList<>(out);
  }

  static boolean hasCq4(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
    } catch (IOException e) {
      return false;
    }
  }
}
