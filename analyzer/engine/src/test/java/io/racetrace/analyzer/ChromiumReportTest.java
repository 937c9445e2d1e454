package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import io.racetrace.synthetic.SyntheticCapture;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.report.ReportWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it)
 * and checks that the interleaving swimlanes and the charts were laid out and painted: the DOM
 * after the page's script ran, and the pixels of a screenshot. Skips, saying why, when {@code
 * /usr/bin/chromium} is absent. The screenshot is kept as {@code target/report-screenshot.png}.
 */
class ChromiumReportTest {
  static final Path CHROMIUM = Path.of(System.getProperty("racetrace.chromium", "/usr/bin/chromium"));

  @TempDir static Path tmp;
  static Path html;
  static List<io.racetrace.analyzer.model.TimelineExample> shown;

  @BeforeAll
  static void report() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "headless Chromium not installed at " + CHROMIUM + " (apt-get install -y chromium): browser test skipped");
    var p = SyntheticCapture.Params.defaults(40_000).withWorkers(2).withLoad(100, 3000, 1_000_000);
    SyntheticCapture.generate(tmp.resolve("cap"), p);
    var r = Analysis.run(List.of(tmp.resolve("cap")), Criteria.DEFAULTS);
    shown = io.racetrace.analyzer.report.ReportDocument.examples(r);
    ReportWriter.writeAll(r, tmp.resolve("out"));
    html = tmp.resolve("out").resolve(ReportWriter.HTML);
  }

  static String chromium(String... extra) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile")));
    cmd.addAll(List.of(extra));
    cmd.add(html.toUri().toString());
    Path stdout = tmp.resolve("chromium.out");
    Process proc = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(tmp.resolve("chromium.err").toFile()).start();
    try {
      assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "chromium did not finish within 120 s");
      assertEquals(0, proc.exitValue(), () -> "chromium failed: " + read(tmp.resolve("chromium.err")));
    } finally {
      proc.destroyForcibly();
    }
    return read(stdout);
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void domAfterScripts_showsEveryChartLaidOut() throws Exception {
    String dom = chromium("--dump-dom", "--virtual-time-budget=5000");
    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom);
    assertTrue(charts.find(), "the page's script ran");
    int n = Integer.parseInt(charts.group(1));
    Matcher sizes = Pattern.compile("<svg class=\"([a-z -]+)\"[^>]*data-rendered=\"(\\d+)x(\\d+)\" data-marks=\"(\\d+)\"")
        .matcher(dom);
    List<String> seen = new ArrayList<>();
    while (sizes.find()) {
      seen.add(sizes.group(1));
      assertTrue(Integer.parseInt(sizes.group(2)) > 500, "width of " + sizes.group(1));
      assertTrue(Integer.parseInt(sizes.group(3)) > 100, "height of " + sizes.group(1));
      assertTrue(Integer.parseInt(sizes.group(4)) > 5, "marks in " + sizes.group(1));
    }
    assertEquals(n, seen.size(), "every svg was rendered: " + seen);
    assertTrue(seen.contains("chart chart-latency") && seen.contains("chart chart-rates")
        && seen.contains("chart chart-traffic"), seen.toString());
    long lanes = seen.stream().filter(s -> s.equals("swimlane")).count();
    assertTrue(lanes >= 2, "swimlanes of the top examples: " + seen);
    // One bar per READ and per WRITE step of the examples shown.
    assertEquals(shown.size(), lanes, "a swimlane per example shown");
    assertEquals(steps("READ"), count(dom, "class=\"ev ev-read\""), "read bars");
    assertEquals(steps("WRITE"), count(dom, "class=\"ev ev-write\""), "write bars");
    assertTrue(steps("READ") >= 2 * lanes - 2, "the examples are races: reads in both lanes");
    assertTrue(count(dom, "class=\"series\"") >= 5, "rate and traffic lines");
  }

  @Test
  void screenshot_paintsTheTimelineAndCharts() throws Exception {
    Path png = tmp.resolve("report.png");
    chromium("--window-size=1100,2600", "--screenshot=" + png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1100, img.getWidth());
    // The swimlane's read bars (#3182ce) and write bars (#38a169) and the latency bars (#4299e1).
    assertTrue(pixels(img, 0x3182ce) > 500, "read bars painted");
    assertTrue(pixels(img, 0x38a169) > 500, "write bars painted");
    Files.createDirectories(Path.of("target"));
    Files.copy(png, Path.of("target", "report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  static long pixels(BufferedImage img, int rgb) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  static long steps(String kind) {
    return shown.stream().flatMap(e -> e.steps().stream()).filter(s -> s.kind().equals(kind)).count();
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
