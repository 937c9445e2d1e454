package io.racetrace.analyzer.cli;

import io.racetrace.analyzer.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The files racetrace names in an {@code --out} directory. A reused directory must describe one
 * run only, as Gradle clears a task's outputs before running it: otherwise a {@code rows.csv} left
 * by an earlier run sits beside a report written with {@code --no-rows-csv}, or a CI gate reads an
 * old {@code report.json} after a failed run. So before a run writes anything, every file of these
 * names is removed, except what the run reads (compare's inputs). Other files are never touched:
 * only regular files and links of exactly these names, directly in the directory.
 */
final class OutDir {
  static final String COMPARE_MD = "compare.md";
  static final String COMPARE_JSON = "compare.json";
  /** What analyze writes (rows.csv unless --no-rows-csv). */
  static final List<String> REPORT = List.of(ReportWriter.MD, ReportWriter.HTML, ReportWriter.JSON, ReportWriter.CSV);
  /** What compare writes. */
  static final List<String> COMPARE = List.of(COMPARE_MD, COMPARE_JSON);

  private OutDir() {}

  /**
   * Removes racetrace's files from {@code dir}, but those in {@code keep}; returns the names removed
   * that this run will not write again ({@code writes}), for the one line saying so.
   */
  static List<String> clear(Path dir, Collection<String> writes, Collection<String> keep) throws IOException {
    List<String> stale = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return stale;
    }
    List<String> owned = new ArrayList<>(REPORT);
    owned.addAll(COMPARE);
    owned.addAll(io.racetrace.analyzer.release.ReleaseWriter.FILES);
    for (String name : owned) {
      Path f = dir.resolve(name);
      boolean file = Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f);
      if (file && !keep.contains(name)) {
        Files.delete(f);
        if (!writes.contains(name)) {
          stale.add(name);
        }
      }
    }
    return stale;
  }

  /** Whether {@code out} is the same directory as {@code input} (compare writing beside a report it reads). */
  static boolean same(Path out, Path input) throws IOException {
    return Files.isDirectory(out) && Files.isDirectory(input) && Files.isSameFile(out, input);
  }

  /** "removed from an earlier run in DIR: a, b", or nothing. */
  static void say(java.io.PrintWriter out, Path dir, List<String> removed) {
    if (!removed.isEmpty()) {
      out.println("removed from an earlier run in " + dir + ": " + String.join(", ", removed));
    }
  }
}
