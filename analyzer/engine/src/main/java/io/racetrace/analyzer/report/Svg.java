package io.racetrace.analyzer.report;

import static io.racetrace.analyzer.report.Fmt.html;

import io.racetrace.analyzer.model.Results.Bucket;
import io.racetrace.analyzer.model.Results.LatencyDistributionBin;
import io.racetrace.analyzer.model.TimelineExample;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Inline SVG for the HTML report: the interleaving swimlane of an example and three charts. Pure
 * string building, no script and no external resource, so the report renders offline. Every chart
 * carries a class ({@code swimlane}, {@code chart-latency}, {@code chart-rates}, {@code
 * chart-traffic}) and its marks carry classes too, which the headless-browser test counts.
 */
final class Svg {
  static final int W = 960;
  private static final String FONT = "font-family=\"system-ui,sans-serif\"";

  private Svg() {}

  static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** One lane per request; a bar per row from its start to its end, labelled in the validation plan's words. */
  static String swimlane(TimelineExample ex) {
    int lanes = ex.lanes().size();
    int left = 170;
    int laneH = 30 + 26 * maxStepsPerLane(ex);
    int top = 30;
    int h = top + lanes * laneH + 40;
    double t0 = Double.MAX_VALUE;
    double t1 = -Double.MAX_VALUE;
    for (var s : ex.steps()) {
      t0 = Math.min(t0, s.startMs());
      t1 = Math.max(t1, s.tMs());
    }
    if (!(t1 > t0)) {
      t1 = t0 + 1;
    }
    double pad = (t1 - t0) * 0.03;
    double a = t0 - pad;
    double span = (t1 + pad) - a;
    int plotW = W - left - 20;
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"swimlane\" role=\"img\" viewBox=\"0 0 ").append(W).append(' ').append(h)
        .append("\" width=\"").append(W).append("\" height=\"").append(h).append("\" xmlns=\"http://www.w3.org/2000/svg\" ")
        .append(FONT).append(" font-size=\"12\">");
    b.append("<title>").append(html(ex.title())).append("</title>");
    for (int l = 0; l < lanes; l++) {
      int y = top + l * laneH;
      b.append("<g class=\"lane\">");
      b.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"").append(W).append("\" height=\"").append(laneH)
          .append("\" fill=\"").append(l % 2 == 0 ? "#f7fafc" : "#edf2f7").append("\"/>");
      b.append("<text x=\"8\" y=\"").append(y + 18).append("\" font-weight=\"bold\">Client ").append((char) ('A' + l))
          .append("</text>");
      b.append("<text x=\"8\" y=\"").append(y + 34).append("\" fill=\"#4a5568\">").append(html(trim(ex.lanes().get(l), 22)))
          .append("</text>");
      String role = TimelineTable.role(ex, l);
      if (!role.isEmpty()) {
        b.append("<text x=\"8\" y=\"").append(y + 50).append("\" fill=\"#4a5568\" font-style=\"italic\">")
            .append(role).append("</text>");
      }
      b.append("</g>");
    }
    int[] row = new int[lanes];
    for (var s : ex.steps()) {
      int lane = Math.min(s.lane(), lanes - 1);
      double x0 = left + (s.startMs() - a) / span * plotW;
      double x1 = left + (s.tMs() - a) / span * plotW;
      double w = Math.max(3, x1 - x0);
      int y = top + lane * laneH + 14 + 26 * row[lane]++;
      String cls;
      String fill;
      switch (s.kind()) {
        case "READ" -> { cls = "ev ev-read"; fill = "#3182ce"; }
        case "WRITE" -> {
          cls = "ev ev-write";
          fill = s.result().equals("SUCCESS") || s.result().equals("NONE") ? "#38a169" : "#dd6b20";
        }
        case "REQUEST" -> { cls = "ev ev-request"; fill = s.result().equals("SUCCESS") ? "#805ad5" : "#e53e3e"; }
        default -> { cls = "ev ev-arrival"; fill = "#718096"; }
      }
      b.append("<g class=\"").append(cls).append("\"><rect x=\"").append(f(x0)).append("\" y=\"").append(y)
          .append("\" width=\"").append(f(w)).append("\" height=\"10\" rx=\"2\" fill=\"").append(fill).append("\">")
          .append("<title>").append(html(s.kind() + " " + s.result() + " " + s.requestId() + " #" + s.seq() + " "
              + s.text() + String.format(Locale.ROOT, " (%.3f-%.3f ms)", s.startMs(), s.tMs())))
          .append("</title></rect>");
      String label = TimelineTable.time(s) + " ms: " + s.text();
      boolean end = x0 + labelWidth(label) > W - 4; // near the right edge: the label ends there instead
      b.append("<text x=\"").append(f(end ? W - 4 : x0)).append("\" y=\"").append(y + 22).append('"')
          .append(end ? " text-anchor=\"end\"" : "").append(" fill=\"#1a202c\">").append(html(label))
          .append("</text></g>");
    }
    // time axis
    int ay = top + lanes * laneH + 14;
    b.append("<line x1=\"").append(left).append("\" y1=\"").append(ay).append("\" x2=\"").append(W - 20)
        .append("\" y2=\"").append(ay).append("\" stroke=\"#a0aec0\"/>");
    double step = niceStep(span / 5);
    for (double t = Math.ceil(a / step) * step; t <= a + span + 1e-9; t += step) {
      double x = left + (t - a) / span * plotW;
      String label = Fmt.axisTime(t, step * 5);
      b.append("<text x=\"").append(f(x)).append("\" y=\"").append(ay + 16).append("\" ").append(anchor(x, label, 12))
          .append(" fill=\"#4a5568\">").append(label).append("</text>");
    }
    return b.append("</svg>").toString();
  }

  private static int maxStepsPerLane(TimelineExample ex) {
    int[] c = new int[Math.max(1, ex.lanes().size())];
    int m = 1;
    for (var s : ex.steps()) {
      int l = Math.min(s.lane(), c.length - 1);
      m = Math.max(m, ++c[l]);
    }
    return m;
  }

  private static String trim(String s, int n) {
    return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /** Bars of the latency distribution with p50, p99 and the target marked. */
  /**
   * The latency distribution on a log axis (its bins are log-spaced, ten per decade), with the
   * p50, p99 and target markers; their labels take the first of three rows where they clear the
   * labels already placed, and turn left of their line near the right edge.
   */
  static String latency(List<LatencyDistributionBin> bins, Double p50, Double p99, double targetMs) {
    int h = 270;
    int left = 60;
    int top = 64;
    int bottom = 40;
    int plotW = W - left - 20;
    int plotH = h - bottom - top;
    StringBuilder b = open("chart-latency", h, "Latency distribution");
    if (bins.isEmpty()) {
      return b.append(empty(h)).append("</svg>").toString();
    }
    double lo = Math.log10(Math.max(1e-3, bins.get(0).fromMs()));
    double hi = Math.log10(Math.max(bins.get(bins.size() - 1).toMs(), Math.pow(10, lo) * 10));
    java.util.function.DoubleUnaryOperator x = ms -> left + (Math.log10(Math.max(ms, 1e-3)) - lo) / (hi - lo) * plotW;
    long maxC = 1;
    for (var bin : bins) {
      maxC = Math.max(maxC, bin.count());
    }
    double maxY = niceMax(maxC);
    for (var bin : bins) {
      double x0 = x.applyAsDouble(bin.fromMs());
      double x1 = x.applyAsDouble(bin.toMs());
      double bh = bin.count() / maxY * plotH;
      b.append("<rect class=\"bar\" x=\"").append(f(x0)).append("\" y=\"").append(f(top + plotH - bh))
          .append("\" width=\"").append(f(Math.max(1, x1 - x0 - 1))).append("\" height=\"").append(f(bh))
          .append("\" fill=\"#4299e1\"><title>")
          .append(String.format(Locale.ROOT, "%.3f-%.3f ms: %d requests", bin.fromMs(), bin.toMs(), bin.count()))
          .append("</title></rect>");
    }
    frame(b, left, top, plotW, plotH);
    yTicks(b, left, top, plotH, maxY, "requests");
    // Round ticks: every 1, 2 and 5 of a decade when a decade is wide enough, else every decade.
    boolean fine = plotW / (hi - lo) >= 150;
    for (int d = (int) Math.floor(lo); d <= (int) Math.ceil(hi); d++) {
      for (int m : fine ? new int[] {1, 2, 5} : new int[] {1}) {
        double v = m * Math.pow(10, d);
        double lv = Math.log10(v);
        if (lv < lo - 1e-9 || lv > hi + 1e-9) {
          continue;
        }
        double px = x.applyAsDouble(v);
        b.append("<line x1=\"").append(f(px)).append("\" y1=\"").append(top + plotH).append("\" x2=\"").append(f(px))
            .append("\" y2=\"").append(top + plotH + 4).append("\" stroke=\"#4a5568\"/>");
        b.append("<text x=\"").append(f(px)).append("\" y=\"").append(top + plotH + 16)
            .append("\" text-anchor=\"middle\" font-size=\"10\">").append(roundMs(v)).append("</text>");
      }
    }
    // Below the axis, where no marker line crosses it: the target when it lies beyond the slowest request.
    b.append("<text x=\"").append(left + plotW).append("\" y=\"").append(h - 6)
        .append("\" text-anchor=\"end\" font-size=\"10\" fill=\"#4a5568\">latency, log scale")
        .append(Math.log10(targetMs) > hi ? "; <tspan fill=\"#dd6b20\">the " + Fmt.num(targetMs)
            + " ms target is beyond the slowest request →</tspan>" : "").append("</text>");
    List<double[]> placed = new java.util.ArrayList<>(); // per label: row, left, right
    marker(b, placed, "p50", p50, x, top, plotH, hi, "#2d3748");
    marker(b, placed, "p99", p99, x, top, plotH, hi, "#c53030");
    if (Math.log10(targetMs) <= hi) {
      marker(b, placed, "target", targetMs, x, top, plotH, hi, "#dd6b20");
    }
    return b.append("</svg>").toString();
  }

  /** A round latency as an axis label: 0.05 ms, 2 ms, 500 ms, 2 s. */
  static String roundMs(double v) {
    if (v >= 1000) {
      return new java.math.BigDecimal(v / 1000).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()
          + " s";
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString() + " ms";
  }

  /** Width of a label at font size 12, generously: the overlap test measures the real one. */
  private static double labelWidth(String s) {
    return s.length() * 7.2;
  }

  /** A tick label's anchor: centred under its tick, unless that would cut it at the chart's right edge. */
  private static String anchor(double x, String label, int fontSize) {
    double half = labelWidth(label) * fontSize / 12 / 2;
    return x + half > W - 2 ? "text-anchor=\"end\"" : "text-anchor=\"middle\"";
  }

  private static void marker(StringBuilder b, List<double[]> placed, String name, Double v,
      java.util.function.DoubleUnaryOperator x, int top, int plotH, double hi, String color) {
    if (v == null) {
      return;
    }
    double px = x.applyAsDouble(Math.min(v, Math.pow(10, hi)));
    String label = name + " " + Fmt.ms(v) + " ms";
    double w = labelWidth(label);
    boolean leftOfLine = px + 4 + w > W - 4;
    double l = leftOfLine ? px - 4 - w : px + 4;
    double r = l + w;
    int row = 0;
    for (; row < 3; row++) {
      boolean free = true;
      for (double[] p : placed) {
        if (p[0] == row && l < p[2] + 6 && p[1] < r + 6) {
          free = false;
        }
      }
      if (free) {
        break;
      }
    }
    row = Math.min(row, 2);
    placed.add(new double[] {row, l, r});
    int y = labelY(top, row);
    b.append("<line class=\"marker\" x1=\"").append(f(px)).append("\" y1=\"").append(y + 4).append("\" x2=\"")
        .append(f(px)).append("\" y2=\"").append(top + plotH).append("\" stroke=\"").append(color)
        .append("\" stroke-dasharray=\"4 3\"/>");
    b.append("<text x=\"").append(f(leftOfLine ? px - 4 : px + 4)).append("\" y=\"").append(y)
        .append("\"").append(leftOfLine ? " text-anchor=\"end\"" : "").append(" fill=\"").append(color).append("\">")
        .append(label).append("</text>");
  }

  /** The baseline of marker label row 0 (just above the plot), 1 or 2 (higher up). */
  private static int labelY(int top, int row) {
    return top - 6 - 16 * row;
  }

  /** Conflict, retry and lost-update rates per time bucket, in percent. */
  static String rates(List<Bucket> buckets, double bucketMs) {
    int h = 260;
    StringBuilder b = open("chart-rates", h, "Conflict and retry rates over time");
    if (buckets.isEmpty()) {
      return b.append(empty(h)).append("</svg>").toString();
    }
    ToDoubleFunction<Bucket> conflict = x -> x.writeAttempts() == 0 ? 0 : 100.0 * x.writeConflicts() / x.writeAttempts();
    ToDoubleFunction<Bucket> retry = x -> x.requests() == 0 ? 0 : 100.0 * x.retries() / x.requests();
    ToDoubleFunction<Bucket> lost = x -> x.requests() == 0 ? 0 : 100.0 * x.lostUpdates() / x.requests();
    double max = 1;
    for (Bucket x : buckets) {
      max = Math.max(max, Math.max(conflict.applyAsDouble(x), Math.max(retry.applyAsDouble(x), lost.applyAsDouble(x))));
    }
    max = niceMax(max);
    timeSeries(b, buckets, bucketMs, h, max, "%", new String[] {"write conflicts / writes", "retries / requests",
        "lost updates / requests"}, new String[] {"#dd6b20", "#3182ce", "#c53030"}, conflict, retry, lost);
    return b.append("</svg>").toString();
  }

  /** Requests per second and the largest queue delay per time bucket, with the queue-delay target. */
  static String traffic(List<Bucket> buckets, double bucketMs, double targetMs) {
    int h = 260;
    StringBuilder b = open("chart-traffic", h, "Traffic and queue delay over time");
    if (buckets.isEmpty()) {
      return b.append(empty(h)).append("</svg>").toString();
    }
    double secs = bucketMs / 1000;
    ToDoubleFunction<Bucket> rps = x -> x.requests() / secs;
    ToDoubleFunction<Bucket> qd = x -> x.maxQueueDelayMs() == null ? 0 : x.maxQueueDelayMs();
    double maxR = 1;
    double maxQ = targetMs;
    for (Bucket x : buckets) {
      maxR = Math.max(maxR, rps.applyAsDouble(x));
      maxQ = Math.max(maxQ, qd.applyAsDouble(x));
    }
    maxR = niceMax(maxR);
    maxQ = niceMax(maxQ);
    // Scale queue delay onto the request axis so one plot carries both; the legend gives units.
    double scale = maxR / maxQ;
    ToDoubleFunction<Bucket> qdScaled = x -> qd.applyAsDouble(x) * scale;
    timeSeries(b, buckets, bucketMs, h, maxR, "req/s", new String[] {"requests per second",
        "max queue delay (right axis, ms)"}, new String[] {"#4a5568", "#805ad5"}, rps, qdScaled);
    int left = 60;
    int plotW = W - left - 20;
    int plotH = h - 60;
    double ty = 20 + plotH - targetMs * scale / maxR * plotH;
    b.append("<line class=\"target\" x1=\"").append(left).append("\" y1=\"").append(f(ty)).append("\" x2=\"")
        .append(left + plotW).append("\" y2=\"").append(f(ty)).append("\" stroke=\"#805ad5\" stroke-dasharray=\"6 4\"/>");
    // The target's label at the plot's left end, clear of the right axis' ticks.
    b.append("<text x=\"").append(left + 6).append("\" y=\"").append(f(ty - 4))
        .append("\" fill=\"#805ad5\">queue delay target ").append(Fmt.num(targetMs)).append(" ms</text>");
    double step = niceStep(maxQ / 4);
    for (double v = 0; v <= maxQ + 1e-9; v += step) {
      b.append("<text x=\"").append(W - 4).append("\" y=\"").append(f(20 + plotH - v / maxQ * plotH + 4))
          .append("\" text-anchor=\"end\" font-size=\"10\" fill=\"#805ad5\">").append(tick(v)).append("</text>");
    }
    return b.append("</svg>").toString();
  }

  @SafeVarargs
  private static void timeSeries(StringBuilder b, List<Bucket> buckets, double bucketMs, int h, double maxY, String unit,
      String[] names, String[] colors, ToDoubleFunction<Bucket>... series) {
    int left = 60;
    int plotW = W - left - 20;
    int plotH = h - 60;
    double t0 = Math.max(0, buckets.get(0).tMs());
    double t1 = buckets.get(buckets.size() - 1).tMs() + bucketMs;
    double span = Math.max(1e-9, t1 - t0);
    for (int s = 0; s < series.length; s++) {
      StringBuilder pts = new StringBuilder();
      for (Bucket x : buckets) {
        double px = left + Math.max(0, x.tMs() + bucketMs / 2 - t0) / span * plotW;
        double py = 20 + plotH - series[s].applyAsDouble(x) / maxY * plotH;
        pts.append(f(px)).append(',').append(f(py)).append(' ');
      }
      b.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colors[s]).append("\" stroke-width=\"2\" points=\"")
          .append(pts.toString().trim()).append("\"><title>").append(html(names[s])).append("</title></polyline>");
      b.append("<rect x=\"").append(left + 10 + s * 250).append("\" y=\"").append(h - 16).append("\" width=\"12\" height=\"4\" fill=\"")
          .append(colors[s]).append("\"/><text x=\"").append(left + 26 + s * 250).append("\" y=\"").append(h - 11)
          .append("\" font-size=\"11\">").append(html(names[s])).append("</text>");
    }
    axes(b, left, 20, plotW, plotH, t0, t1, "ms", maxY, unit);
  }

  /** The time axis with round ticks (1, 2 or 5 times a power of ten), and the y axis. */
  private static void axes(StringBuilder b, int left, int top, int plotW, int plotH, double x0, double x1, String xu,
      double maxY, String yu) {
    frame(b, left, top, plotW, plotH);
    double span = Math.max(1e-9, x1 - x0);
    double step = niceStep(span / 6);
    for (double t = Math.ceil(x0 / step) * step; t <= x1 + 1e-9; t += step) {
      double x = left + (t - x0) / span * plotW;
      String label = Fmt.axisTime(t, step * 6);
      b.append("<text x=\"").append(f(x)).append("\" y=\"").append(top + plotH + 14).append("\" ")
          .append(anchor(x, label, 10)).append(" font-size=\"10\">").append(label).append("</text>");
    }
    yTicks(b, left, top, plotH, maxY, yu);
  }

  private static void frame(StringBuilder b, int left, int top, int plotW, int plotH) {
    b.append("<line x1=\"").append(left).append("\" y1=\"").append(top + plotH).append("\" x2=\"").append(left + plotW)
        .append("\" y2=\"").append(top + plotH).append("\" stroke=\"#4a5568\"/>");
    b.append("<line x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"").append(left).append("\" y2=\"")
        .append(top + plotH).append("\" stroke=\"#4a5568\"/>");
  }

  /** Y ticks at round steps up to {@code maxY} (itself round, {@link #niceMax}), and the unit above. */
  private static void yTicks(StringBuilder b, int left, int top, int plotH, double maxY, String yu) {
    double step = niceStep(maxY / 4);
    for (double v = 0; v <= maxY + 1e-9; v += step) {
      double y = top + plotH - v / maxY * plotH;
      b.append("<text x=\"").append(left - 4).append("\" y=\"").append(f(y + 4))
          .append("\" text-anchor=\"end\" font-size=\"10\">").append(tick(v)).append("</text>");
    }
    b.append("<text x=\"").append(left - 4).append("\" y=\"").append(top - 6).append("\" text-anchor=\"end\" font-size=\"10\">")
        .append(html(yu)).append("</text>");
  }

  /** A round tick value without trailing zeros: 0.5, 20, 1,500. */
  static String tick(double v) {
    if (Math.abs(v) >= 1000 && v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw * (1 - 1e-9)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** The axis top for values up to {@code max}: a multiple of its round step (four or five steps). */
  static double niceMax(double max) {
    double step = niceStep(max / 4);
    return Math.max(step, Math.ceil(max / step - 1e-9) * step);
  }

  private static StringBuilder open(String cls, int h, String title) {
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart ").append(cls).append("\" role=\"img\" viewBox=\"0 0 ").append(W).append(' ').append(h)
        .append("\" width=\"").append(W).append("\" height=\"").append(h).append("\" xmlns=\"http://www.w3.org/2000/svg\" ")
        .append(FONT).append(" font-size=\"12\"><title>").append(html(title)).append("</title>");
    return b;
  }

  private static String empty(int h) {
    return "<text x=\"" + W / 2 + "\" y=\"" + h / 2 + "\" text-anchor=\"middle\" fill=\"#718096\">no data</text>";
  }
}
