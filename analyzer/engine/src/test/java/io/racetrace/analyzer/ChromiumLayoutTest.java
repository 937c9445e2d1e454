package io.racetrace.analyzer;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.analyzer.report.ReportWriter;
import io.racetrace.synthetic.SyntheticCapture;
import java.awt.image.BufferedImage;
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
 * Lays out report.html and the release package's release.html in headless Chromium and checks, from
 * the elements' bounding boxes, that no two labels of a chart overlap, that no label is cut off by
 * its chart's edge, and that no page is wider than the window (a table or chart that overflows).
 * The check is a script the test adds to a copy of each page; the pages ship without it. Skips,
 * saying why, when {@code /usr/bin/chromium} is absent ({@code .ci/run} installs it). The release
 * package's screenshot is kept as {@code target/release-screenshot.png}.
 */
class ChromiumLayoutTest {
  static final Path CHROMIUM = ChromiumReportTest.CHROMIUM;
  static final int WIDTH = 1280;

  /**
   * Every visible text of every svg, pairwise (boxes shrunk by half a pixel, so touching is
   * allowed), and against its svg's box; then the page's width. The result goes into an attribute
   * of the body, which {@code --dump-dom} prints.
   */
  static final String CHECK = "<script>window.addEventListener('load',function(){setTimeout(function(){"
      + "var out=[];var svgs=document.querySelectorAll('svg');var labels=0;"
      + "svgs.forEach(function(svg,si){var sb=svg.getBoundingClientRect();var name=(svg.getAttribute('class')||'svg')+'#'+si;"
      + "var boxes=[];svg.querySelectorAll('text').forEach(function(t){var s=t.textContent.trim();if(!s)return;"
      + "var r=t.getBoundingClientRect();if(r.width===0)return;labels++;boxes.push({s:s,r:r});"
      + "if(r.left<sb.left-0.5||r.right>sb.right+0.5||r.top<sb.top-0.5||r.bottom>sb.bottom+0.5)"
      + "out.push('cut off in '+name+': \"'+s+'\"');});"
      + "for(var i=0;i<boxes.length;i++)for(var j=i+1;j<boxes.length;j++){var a=boxes[i].r,b=boxes[j].r;"
      + "if(a.left+0.5<b.right-0.5&&b.left+0.5<a.right-0.5&&a.top+0.5<b.bottom-0.5&&b.top+0.5<a.bottom-0.5)"
      + "out.push('overlap in '+name+': \"'+boxes[i].s+'\" and \"'+boxes[j].s+'\"');}});"
      + "var w=document.documentElement.scrollWidth;if(w>window.innerWidth+1)out.push('page is '+w+' px wide, window '"
      + "+window.innerWidth);"
      + "document.body.setAttribute('data-layout',JSON.stringify({svgs:svgs.length,labels:labels,problems:out}));"
      + "},0);});</script>";

  @TempDir static Path tmp;
  static Path report;
  static Path release;

  @BeforeAll
  static void pages() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "headless Chromium not installed at " + CHROMIUM + " (apt-get install -y chromium): browser test skipped");
    var p = SyntheticCapture.Params.defaults(40_000).withWorkers(2).withLoad(100, 3000, 1_000_000);
    SyntheticCapture.generate(tmp.resolve("cap"), p);
    ReportWriter.writeAll(Analysis.run(List.of(tmp.resolve("cap")), Criteria.DEFAULTS), tmp.resolve("report"));
    report = tmp.resolve("report").resolve(ReportWriter.HTML);

    // A release package over the checked-in sample captures' reports (baseline, reproduction, retest).
    Path run = tmp.resolve("run");
    for (String s : List.of("baseline-unsafe", "race-rendezvous-unsafe", "retest-conditional")) {
      Path d = Files.createDirectories(run.resolve(s).resolve("report"));
      Files.copy(ReleasePackageTest.EXPECTED.resolve(s).resolve("report.json"), d.resolve("report.json"));
    }
    Cli c = Cli.run("report", "--baseline", run.resolve("baseline-unsafe/report").toString(), "--retest",
        run.resolve("retest-conditional/report").toString(), "--reproduction",
        run.resolve("race-rendezvous-unsafe/report").toString(), "--out", run.resolve("release").toString());
    assertEquals(0, c.exit(), c.err());
    release = run.resolve("release").resolve("release.html");
  }

  /** Runs Chromium on a copy of {@code page} with the layout check added; returns the check's result. */
  static JsonNode layout(Path page) throws Exception {
    Path copy = page.resolveSibling("checked-" + page.getFileName());
    String html = Files.readString(page);
    int end = html.lastIndexOf("</body>");
    assertTrue(end > 0, "no </body> in " + page);
    Files.writeString(copy, html.substring(0, end) + CHECK + html.substring(end));
    String dom = run(copy, "--dump-dom", "--virtual-time-budget=5000");
    Matcher m = Pattern.compile("data-layout=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "the layout check ran on " + page.getFileName());
    return Schemas.JSON.readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<")
        .replace("&gt;", ">"));
  }

  static String run(Path page, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--hide-scrollbars", "--window-size=" + WIDTH + ",3000", "--user-data-dir=" + tmp.resolve("profile")));
    cmd.addAll(List.of(extra));
    cmd.add(page.toUri().toString());
    Path stdout = tmp.resolve("chromium.out");
    Process proc = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(tmp.resolve("chromium.err").toFile()).start();
    try {
      assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "chromium did not finish within 120 s");
      assertEquals(0, proc.exitValue(), () -> "chromium failed: " + ChromiumReportTest.read(tmp.resolve("chromium.err")));
    } finally {
      proc.destroyForcibly();
    }
    return ChromiumReportTest.read(stdout);
  }

  @Test
  void report_noChartLabelOverlapsOrIsCutOff_andThePageFitsTheWindow() throws Exception {
    JsonNode r = layout(report);
    assertTrue(r.path("svgs").asInt() >= 5, r.toString()); // three charts and the swimlanes
    assertTrue(r.path("labels").asInt() >= 30, "the check saw the charts' labels: " + r);
    assertEquals("[]", r.path("problems").toString(), r.toString());
  }

  @Test
  void releasePackage_noLabelOverlapsOrIsCutOff_andThePageFitsTheWindow() throws Exception {
    JsonNode r = layout(release);
    assertTrue(r.path("svgs").asInt() >= 1, "the package shows the reproduction's two-client trace: " + r);
    assertTrue(r.path("labels").asInt() >= 4, r.toString());
    assertEquals("[]", r.path("problems").toString(), r.toString());
  }

  @Test
  void releasePackage_screenshot_isAPageOfTheWindowsWidth_withTheDecisionPainted() throws Exception {
    Path png = tmp.resolve("release.png");
    run(release, "--screenshot=" + png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(WIDTH, img.getWidth());
    assertEquals(3000, img.getHeight());
    // The pass badges (#d8f0d8, DocHtml) and the swimlane's read bars (#3182ce) are painted.
    assertTrue(ChromiumReportTest.pixels(img, 0xd8f0d8) > 500, "pass badges painted");
    assertTrue(ChromiumReportTest.pixels(img, 0x3182ce) > 200, "the two-client trace's read bars painted");
    Files.createDirectories(Path.of("target"));
    Files.copy(png, Path.of("target", "release-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
