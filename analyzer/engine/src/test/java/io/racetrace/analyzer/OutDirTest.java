package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reused {@code --out}: the files racetrace names that this run does not write are removed
 * before it runs, files it does not name are left alone, and the summary names only what was
 * written.
 */
class OutDirTest {
  @TempDir Path tmp;
  Path queue;

  @BeforeEach
  void capture() throws Exception {
    queue = LostUpdateDetectorTest.seedRace(new TraceBuilder(tmp.resolve("q"))).build();
  }

  @Test
  void summary_namesRowsCsvOnlyWhenWritten() {
    Cli with = Cli.run("analyze", queue.toString(), "--out", tmp.resolve("a").toString());
    assertTrue(with.out().contains("(also report.md, report.json, rows.csv)"), with.out());
    assertTrue(Files.exists(tmp.resolve("a/rows.csv")));

    Cli without = Cli.run("analyze", queue.toString(), "--out", tmp.resolve("b").toString(), "--no-rows-csv");
    assertEquals(1, without.exit(), without.err());
    assertFalse(without.out().contains("rows.csv"), without.out());
    assertTrue(without.out().contains("(also report.md, report.json)"), without.out());
    assertFalse(Files.exists(tmp.resolve("b/rows.csv")));
  }

  @Test
  void analyze_reusedOut_removesStaleRacetraceFiles_keepsOthers() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(1, Cli.run("analyze", queue.toString(), "--out", out.toString()).exit());
    Files.writeString(out.resolve("compare.md"), "an earlier comparison");
    Files.writeString(out.resolve("notes.txt"), "the user's");
    Files.createDirectory(out.resolve("compare.json")); // not a file: not ours to delete

    Cli again = Cli.run("analyze", queue.toString(), "--out", out.toString(), "--no-rows-csv");
    assertEquals(1, again.exit(), again.err());
    assertTrue(again.out().startsWith("removed from an earlier run in " + out + ": rows.csv, compare.md\n"), again.out());
    assertFalse(Files.exists(out.resolve("rows.csv")));
    assertFalse(Files.exists(out.resolve("compare.md")));
    assertEquals("the user's", Files.readString(out.resolve("notes.txt")));
    assertTrue(Files.isDirectory(out.resolve("compare.json")));
    for (String f : new String[] {"report.md", "report.html", "report.json"}) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
  }

  @Test
  void analyze_failedRun_leavesNoReportOfAnEarlierRun() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(1, Cli.run("analyze", queue.toString(), "--out", out.toString()).exit());
    Cli bad = Cli.run("analyze", tmp.resolve("missing").toString(), "--out", out.toString(), "--quiet");
    assertEquals(2, bad.exit(), bad.err());
    assertFalse(Files.exists(out.resolve("report.json")), "an old report.json would pass for this run's");
    assertEquals("", bad.out(), "--quiet prints only errors");
  }

  @Test
  void compare_besideTheReportItReads_keepsIt_elsewhereRemovesStaleReports() throws Exception {
    Path report = tmp.resolve("report");
    assertEquals(1, Cli.run("analyze", queue.toString(), "--out", report.toString()).exit());

    Cli beside = Cli.run("compare", report.toString(), report.toString(), "--out", report.toString());
    assertEquals(1, beside.exit(), beside.err());
    assertFalse(beside.out().contains("removed from an earlier run"), beside.out());
    for (String f : new String[] {"report.md", "report.html", "report.json", "rows.csv", "compare.md", "compare.json"}) {
      assertTrue(Files.exists(report.resolve(f)), f);
    }

    Path other = tmp.resolve("other");
    assertEquals(1, Cli.run("analyze", queue.toString(), "--out", other.toString()).exit());
    Files.writeString(other.resolve("notes.txt"), "the user's");
    Cli elsewhere = Cli.run("compare", report.toString(), report.toString(), "--out", other.toString());
    assertTrue(elsewhere.out().startsWith("removed from an earlier run in " + other
        + ": report.md, report.html, report.json, rows.csv\n"), elsewhere.out());
    assertTrue(Files.exists(other.resolve("compare.json")));
    assertTrue(Files.exists(other.resolve("notes.txt")));
    assertFalse(Files.exists(other.resolve("report.json")));
  }
}
