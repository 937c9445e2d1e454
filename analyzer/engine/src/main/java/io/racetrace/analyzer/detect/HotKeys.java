package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.model.Results.HotKey;
import io.racetrace.analyzer.model.Results.HotKeyResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Keys ranked by traffic and by conflicts (failed conditional writes plus lost updates). */
public final class HotKeys {
  private HotKeys() {}

  public static HotKeyResult rank(List<KeyState> keys, int top) {
    long total = 0;
    for (KeyState k : keys) {
      total += k.traffic();
    }
    Comparator<KeyState> byTraffic = Comparator.comparingLong(KeyState::traffic).thenComparing(k -> k.key,
        Comparator.reverseOrder());
    Comparator<KeyState> byConflicts = Comparator.comparingLong(KeyState::conflictScore)
        .thenComparingLong(KeyState::traffic).thenComparing(k -> k.key, Comparator.reverseOrder());
    List<HotKey> t = top(keys, byTraffic, top, total, false);
    List<HotKey> c = top(keys, byConflicts, top, total, true);
    return new HotKeyResult(keys.size(), t, c);
  }

  private static List<HotKey> top(List<KeyState> keys, Comparator<KeyState> cmp, int n, long total, boolean conflicts) {
    PriorityQueue<KeyState> pq = new PriorityQueue<>(cmp);
    for (KeyState k : keys) {
      if (conflicts && k.conflictScore() == 0) {
        continue;
      }
      pq.add(k);
      if (pq.size() > n) {
        pq.poll();
      }
    }
    List<KeyState> sorted = new ArrayList<>(pq);
    sorted.sort(cmp.reversed());
    List<HotKey> out = new ArrayList<>();
    for (KeyState k : sorted) {
      out.add(new HotKey(k.key, k.requests, k.reads, k.writes, k.writeSuccess, k.writeConflicts,
          k.staleWrites + k.casViolations, k.conflictResponses, total == 0 ? 0 : (double) k.traffic() / total,
          k.windows == 0 ? 0 : (double) k.overlappingWindows / k.windows));
    }
    return out;
  }
}
