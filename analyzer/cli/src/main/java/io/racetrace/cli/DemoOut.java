package io.racetrace.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's {@code --out}: {@code MODE/PHASE/} per build and phase, holding the capture {@code queue}
 * (or {@code queue-N}, one per worker), {@code ground-truth.json} or {@code race.txt}, and
 * {@code report/}. Reused, it must not mix runs: an agent capturing into a queue directory that
 * holds an earlier capture appends to it, and the analysis would count both. So before the first
 * phase, the files a demo wrote there are removed: Chronicle's {@code .cq4}/{@code .cq4t} files
 * in the queue directories, and the ground truth (analyze and compare clear their own reports).
 * Anything else in these directories is left.
 */
final class DemoOut {
  /** The builds the demo runs, each a directory of {@code --out}. */
  static final String UNSAFE = "unsafe";
  static final String CONDITIONAL = "conditional";
  /** The release package ({@code racetrace report} clears its own files there). */
  static final String RELEASE = "release";
  /** The Spring Boot service's phases. */
  static final String SPRING = "spring";

  private DemoOut() {}

  /** Removes an earlier run's captures and ground truth; returns whether there were any. */
  static boolean clearEarlierRun(Path out) throws IOException {
    boolean found = false;
    for (String mode : List.of(UNSAFE, CONDITIONAL, SPRING)) {
      Path modeDir = out.resolve(mode);
      if (!Files.isDirectory(modeDir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (DirectoryStream<Path> phases = Files.newDirectoryStream(modeDir, Files::isDirectory)) {
        for (Path phase : phases) {
          found |= deleteFile(phase.resolve("ground-truth.json")) | deleteFile(phase.resolve("race.txt"))
              | deleteFile(phase.resolve("truth.json"));
          try (DirectoryStream<Path> queues = Files.newDirectoryStream(phase, "queue{,-[0-9]*}")) {
            for (Path q : queues) {
              found |= clearQueue(q);
            }
          }
        }
      }
    }
    return found;
  }

  private static boolean clearQueue(Path q) throws IOException {
    if (!Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    boolean found = false;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(q, "*.{cq4,cq4t}")) {
      for (Path f : files) {
        found |= deleteFile(f);
      }
    }
    return found;
  }

  private static boolean deleteFile(Path f) throws IOException {
    return Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f);
  }
}
