package io.racetrace.analyzer.doc;

import java.util.ArrayList;
import java.util.List;

/**
 * A small document model, rendered to Markdown ({@link DocMarkdown}) and HTML ({@link DocHtml}):
 * report.md/report.html and release.md/release.html are each built once as a {@code Doc}, so their
 * two renderings cannot say different things. Only what they need: headings with anchors,
 * paragraphs, callouts, bullet lists, tables, figures (a chart above the table of what it draws;
 * Markdown shows the table), and inline text that may be strong, a link, or a status badge.
 */
public final class Doc {
  /** A run of inline text: plain, strong, a link ({@code href}), or a status badge. */
  public record Span(String text, String href, boolean strong, boolean status) {
    public static Span text(String t) {
      return new Span(t, null, false, false);
    }

    public static Span strong(String t) {
      return new Span(t, null, true, false);
    }

    public static Span link(String t, String href) {
      return new Span(t, href, false, false);
    }

    /** A status (pass, fail, conditional, not tested, or a decision): coloured in HTML, bold in Markdown. */
    public static Span status(String t) {
      return new Span(t, null, true, true);
    }
  }

  /** Inline content: one or more spans. */
  public record Line(List<Span> spans) {
    public static Line of(Span... s) {
      return new Line(List.of(s));
    }

    public static Line of(String t) {
      return of(Span.text(t));
    }
  }

  public sealed interface Block permits Heading, Para, Callout, Bullets, Table, Figure {}

  /** {@code level} 1-3; {@code id} is the anchor other documents link to. */
  public record Heading(int level, String text, String id) implements Block {}

  public record Para(Line line) implements Block {}

  /**
   * A paragraph set apart: the decision, a capture warning. {@code kind} is its HTML class ({@code
   * decision canary}, {@code warning invalid}); a kind starting with "warning" is a Markdown quote.
   */
  public record Callout(String kind, String id, Line line) implements Block {}

  public record Bullets(List<Line> items) implements Block {}

  public record Table(List<String> header, List<List<Line>> rows) implements Block {}

  /**
   * A chart and the table it draws: HTML shows the svg above the table, Markdown the table alone,
   * so both carry the same figures. {@code table} and {@code note} may be null: a chart over a
   * time series whose figures are in report.json, shown in HTML only.
   */
  public record Figure(String svg, Table table, String note) implements Block {}

  final String title;
  final List<Block> blocks = new ArrayList<>();

  public Doc(String title) {
    this.title = title;
  }

  public Doc heading(int level, String text, String id) {
    blocks.add(new Heading(level, text, id));
    return this;
  }

  public Doc para(Span... spans) {
    blocks.add(new Para(Line.of(spans)));
    return this;
  }

  public Doc para(String text) {
    return para(Span.text(text));
  }

  public Doc bullets(List<Line> items) {
    if (!items.isEmpty()) {
      blocks.add(new Bullets(List.copyOf(items)));
    }
    return this;
  }

  public Doc table(List<String> header, List<List<Line>> rows) {
    blocks.add(new Table(List.copyOf(header), List.copyOf(rows)));
    return this;
  }

  public Doc callout(String kind, String id, Span... spans) {
    blocks.add(new Callout(kind, id, Line.of(spans)));
    return this;
  }

  /** A chart shown in HTML only (its figures are elsewhere in the document or in report.json). */
  public Doc chart(String svg) {
    blocks.add(new Figure(svg, null, null));
    return this;
  }

  public Doc figure(String svg, List<String> header, List<List<Line>> rows, String note) {
    blocks.add(new Figure(svg, new Table(List.copyOf(header), List.copyOf(rows)), note));
    return this;
  }

  public String title() {
    return title;
  }

  public List<Block> blocks() {
    return List.copyOf(blocks);
  }
}
