package io.racetrace.analyzer.doc;

import io.racetrace.analyzer.doc.Doc.Block;
import io.racetrace.analyzer.doc.Doc.Line;
import io.racetrace.analyzer.doc.Doc.Span;
import java.util.List;

/** A {@link Doc} as Markdown; anchors as {@code <a id>} before their heading, which GitHub and most renderers keep. */
public final class DocMarkdown {
  private DocMarkdown() {}

  public static String render(Doc d) {
    StringBuilder b = new StringBuilder("# ").append(d.title()).append("\n\n");
    for (Block x : d.blocks()) {
      if (x instanceof Doc.Heading h) {
        if (h.id() != null) {
          b.append("<a id=\"").append(h.id()).append("\"></a>\n\n");
        }
        b.append("#".repeat(h.level() + 1)).append(' ').append(h.text()).append("\n\n");
      } else if (x instanceof Doc.Para p) {
        b.append(line(p.line(), false)).append("\n\n");
      } else if (x instanceof Doc.Callout c) {
        b.append(c.kind().startsWith("warning") ? "> " : "").append(line(c.line(), false)).append("\n\n");
      } else if (x instanceof Doc.Bullets l) {
        for (Line i : l.items()) {
          b.append("- ").append(line(i, false)).append('\n');
        }
        b.append('\n');
      } else if (x instanceof Doc.Figure f) {
        if (f.table() != null) {
          table(b, f.table());
        }
        if (f.note() != null) {
          b.append(f.note().replace("\n", " ")).append("\n\n");
        }
      } else if (x instanceof Doc.Table t) {
        table(b, t);
      }
    }
    return b.toString();
  }

  private static void table(StringBuilder b, Doc.Table t) {
    b.append("| ").append(String.join(" | ", t.header().stream().map(DocMarkdown::cell).toList())).append(" |\n|");
    b.append("---|".repeat(t.header().size())).append('\n');
    for (List<Line> row : t.rows()) {
      b.append("| ").append(String.join(" | ", row.stream().map(l -> line(l, true)).toList())).append(" |\n");
    }
    b.append('\n');
  }

  private static String line(Line l, boolean inTable) {
    StringBuilder b = new StringBuilder();
    for (Span s : l.spans()) {
      String t = inTable ? cell(s.text()) : s.text().replace("\n", " ");
      if (s.href() != null) {
        b.append('[').append(t.replace("]", "\\]")).append("](").append(s.href()).append(')');
      } else if (s.strong() && !t.isEmpty()) {
        b.append("**").append(t).append("**");
      } else {
        b.append(t);
      }
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
