package io.racetrace.analyzer.release;

import java.util.ArrayList;
import java.util.List;

/**
 * A small document model, rendered to Markdown ({@link DocMarkdown}) and HTML ({@link DocHtml}):
 * the release package is built once as a {@code Doc}, so its two renderings cannot say different
 * things. Only what the package needs: headings with anchors, paragraphs, bullet lists, tables,
 * and inline text that may be strong, a link, or a status badge.
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

  public sealed interface Block permits Heading, Para, Bullets, Table, Figure {}

  /** {@code level} 1-3; {@code id} is the anchor other documents link to. */
  public record Heading(int level, String text, String id) implements Block {}

  public record Para(Line line) implements Block {}

  public record Bullets(List<Line> items) implements Block {}

  public record Table(List<String> header, List<List<Line>> rows) implements Block {}

  /**
   * A chart and the table it draws: HTML shows the svg above the table, Markdown the table alone,
   * so both carry the same figures.
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
