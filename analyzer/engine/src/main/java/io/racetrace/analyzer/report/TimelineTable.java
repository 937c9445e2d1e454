package io.racetrace.analyzer.report;

import io.racetrace.analyzer.model.TimelineExample;
import java.util.ArrayList;
import java.util.List;

/**
 * A timeline example as the validation plan's Client A / Client B table, in plain text cells: the
 * one layout report.md, report.html and the release package all show, each escaping as it needs.
 * A read or write shows its entry and exit when the agent took the entry time, so a read that began
 * before a write but ended after it is seen as the overlap it is; a request shows when it answered.
 */
public final class TimelineTable {
  private TimelineTable() {}

  public static List<String> header(TimelineExample ex) {
    List<String> h = new ArrayList<>(List.of("Time (ms)"));
    for (int i = 0; i < ex.lanes().size(); i++) {
      String role = role(ex, i);
      h.add("Client " + (char) ('A' + i) + " (" + ex.lanes().get(i) + ")" + (role.isEmpty() ? "" : ", " + role));
    }
    h.add("Row");
    return h;
  }

  /**
   * A lane's part in a lost update, so that request ids that name clients otherwise (a reproducer's
   * "-A" and "-B") cannot be misread: "update erased" and "erased it"; empty for other examples.
   */
  public static String role(TimelineExample ex, int lane) {
    boolean lost = ex.kind().equals("lost_update") || ex.kind().equals("cas_violation");
    if (!lost || ex.lanes().size() != 2) {
      return "";
    }
    return lane == 0 ? "update erased" : "erased it";
  }

  public static List<List<String>> rows(TimelineExample ex) {
    List<List<String>> rows = new ArrayList<>();
    for (TimelineExample.Step s : ex.steps()) {
      List<String> r = new ArrayList<>();
      r.add(time(s));
      for (int i = 0; i < ex.lanes().size(); i++) {
        r.add(i == s.lane() ? s.text() : "");
      }
      r.add("#" + s.seq() + " " + s.worker() + " thread " + s.threadId());
      rows.add(r);
    }
    return rows;
  }

  /** Entry–exit of a read or write whose entry was taken; else the exit (a request: when it answered). */
  public static String time(TimelineExample.Step s) {
    boolean span = (s.kind().equals("READ") || s.kind().equals("WRITE")) && s.startMs() < s.tMs();
    return span ? Fmt.t(s.startMs()) + "–" + Fmt.t(s.tMs()) : Fmt.t(s.tMs());
  }

  /** The example as report.html's swimlane chart. */
  public static String svg(TimelineExample ex) {
    return Svg.swimlane(ex);
  }

  /** The sentence under the table: which times it shows. */
  public static String note(TimelineExample ex) {
    boolean entries = ex.steps().stream().anyMatch(s -> (s.kind().equals("READ") || s.kind().equals("WRITE"))
        && s.startMs() < s.tMs());
    return (entries ? "Times are a read's or write's entry–exit, and a request's answer, in ms since the first row"
        : "Exit time only: the agent took no entry time of these rows, so each time is when the call returned, in ms"
            + " since the first row; a read that ends after a write may have begun before it")
        + ". \"Row\" is the row's position in rows.csv, its worker and thread.";
  }
}
