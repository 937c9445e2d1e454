package io.racetrace.analyzer.doc;

import io.racetrace.analyzer.doc.Doc.Block;
import io.racetrace.analyzer.doc.Doc.Line;
import io.racetrace.analyzer.doc.Doc.Span;
import java.util.List;

/** A {@link Doc} as one self-contained HTML page (inline CSS and SVG, no network). */
public final class DocHtml {
  static final String CSS = "body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
      + "color:#222}table{border-collapse:collapse;margin:.5em 0 1.2em}th,td{border:1px solid #ccc;padding:4px 8px;"
      + "text-align:left;vertical-align:top}th{background:#f3f3f3}h2{margin-top:1.6em;border-bottom:1px solid #ddd}"
      + ".st{font-weight:bold;white-space:nowrap;padding:1px 6px;border-radius:3px}"
      + ".st-pass,.st-release{background:#d8f0d8}.st-fail,.st-do_not_release,.st-recapture{background:#f6d0d0}"
      + ".st-conditional,.st-conditional-pass,.st-canary{background:#fbecc4}"
      + ".st-not-tested,.st-not-applicable,.st-off,.st-info,.st-invalid-load{background:#e4e4e4}"
      + ".st-not-measured,.st-unknown{background:#f6d0d0}"
      + "figure{margin:.5em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}.note{color:#555;font-size:13px}"
      + ".callout{padding:10px 14px;border-radius:6px;margin:12px 0;border:2px solid #ccc}"
      + ".decision.release{border-color:#38a169;background:#f0fff4}.decision.canary{border-color:#d69e2e;background:#fffff0}"
      + ".decision.do_not_release,.decision.recapture{border-color:#e53e3e;background:#fff5f5}"
      + ".warning.invalid{background:#e53e3e;color:#fff;font-weight:bold}"
      + ".warning.unknown{background:#fefcbf;border-color:#d69e2e;font-weight:bold}"
      + ".sampling{background:#ebf8ff;border-color:#3182ce}.sampling.partial{background:#fffff0;border-color:#d69e2e}";

  private DocHtml() {}

  public static String render(Doc d) {
    return render(d, "", null);
  }

  /**
   * @param extraCss rules after {@link #CSS}
   * @param script an inline script run at the end of the body ({@code null}: none); no network
   */
  public static String render(Doc d, String extraCss, String script) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(esc(d.title())).append("</title>\n<style>").append(CSS).append(extraCss)
        .append("</style></head><body>\n<h1>").append(esc(d.title())).append("</h1>\n");
    for (Block x : d.blocks()) {
      if (x instanceof Doc.Heading h) {
        b.append("<h").append(h.level() + 1).append(h.id() == null ? "" : " id=\"" + esc(h.id()) + "\"").append('>')
            .append(esc(h.text())).append("</h").append(h.level() + 1).append(">\n");
      } else if (x instanceof Doc.Para p) {
        b.append("<p>").append(line(p.line())).append("</p>\n");
      } else if (x instanceof Doc.Callout c) {
        b.append("<div class=\"").append(esc(c.kind())).append('"')
            .append(c.id() == null ? "" : " id=\"" + esc(c.id()) + "\"").append('>').append(line(c.line()))
            .append("</div>\n");
      } else if (x instanceof Doc.Bullets l) {
        b.append("<ul>\n");
        for (Line i : l.items()) {
          b.append("<li>").append(line(i)).append("</li>\n");
        }
        b.append("</ul>\n");
      } else if (x instanceof Doc.Figure f) {
        b.append("<figure>").append(f.svg()).append("</figure>\n");
        if (f.table() != null) {
          table(b, f.table());
        }
        if (f.note() != null) {
          b.append("<p class=\"note\">").append(esc(f.note())).append("</p>\n");
        }
      } else if (x instanceof Doc.Table t) {
        table(b, t);
      }
    }
    if (script != null) {
      b.append("<script>").append(script).append("</script>");
    }
    return b.append("</body></html>\n").toString();
  }

  private static void table(StringBuilder b, Doc.Table t) {
    b.append("<table><tr>");
    t.header().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr>\n");
    for (List<Line> row : t.rows()) {
      b.append("<tr>");
      row.forEach(c -> b.append("<td>").append(line(c)).append("</td>"));
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static String line(Line l) {
    StringBuilder b = new StringBuilder();
    for (Span s : l.spans()) {
      String t = esc(s.text());
      if (s.href() != null) {
        b.append("<a href=\"").append(esc(s.href())).append("\">").append(t).append("</a>");
      } else if (s.status()) {
        b.append("<span class=\"st st-").append(s.text().replace(' ', '-')).append("\">").append(t).append("</span>");
      } else if (s.strong()) {
        b.append("<b>").append(t).append("</b>");
      } else {
        b.append(t);
      }
    }
    return b.toString();
  }

  /** Escapes text for HTML and SVG (element text and attribute values). */
  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
