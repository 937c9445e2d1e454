package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.util.LongLongMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs ARRIVAL rows with their REQUEST rows: by request id, per queue (an arrival and its request
 * run in one JVM). A request id that arrives again before the first one started (a duplicate
 * delivery) queues behind it.
 *
 * <p>Memory: one entry per request waiting in a worker queue; arrivals older than the request
 * horizon (requests shed before they started) are dropped by {@link #evict} and counted.
 */
final class Arrivals {
  private final LongLongMap[] pending;
  private final List<Map<Long, ArrayDeque<Long>>> overflow = new ArrayList<>();
  long unmatched;

  Arrivals(int sources) {
    pending = new LongLongMap[sources];
    for (int i = 0; i < sources; i++) {
      pending[i] = new LongLongMap(1024);
      overflow.add(new HashMap<>());
    }
  }

  void add(Ev a) {
    if (a.reqHash == 0) {
      return;
    }
    if (pending[a.source].putIfAbsent(a.reqHash, a.endWall, Long.MIN_VALUE) != Long.MIN_VALUE) {
      overflow.get(a.source).computeIfAbsent(a.reqHash, k -> new ArrayDeque<>()).add(a.endWall);
    }
  }

  /** The arrival time of {@code request}, removed; {@code Long.MIN_VALUE} if none came. */
  long take(Ev request) {
    if (request.reqHash == 0) {
      return Long.MIN_VALUE;
    }
    LongLongMap p = pending[request.source];
    long t = p.remove(request.reqHash, Long.MIN_VALUE);
    if (t != Long.MIN_VALUE) {
      Map<Long, ArrayDeque<Long>> o = overflow.get(request.source);
      if (!o.isEmpty()) {
        ArrayDeque<Long> more = o.get(request.reqHash);
        if (more != null) {
          p.put(request.reqHash, more.poll());
          if (more.isEmpty()) {
            o.remove(request.reqHash);
          }
        }
      }
    }
    return t;
  }

  /** Drops arrivals older than {@code before}: requests that never started (e.g. shed with 503). */
  void evict(long before) {
    for (int s = 0; s < pending.length; s++) {
      unmatched += pending[s].removeValuesBelow(before);
      overflow.get(s).values().forEach(d -> {
        while (!d.isEmpty() && d.peek() < before) {
          d.poll();
          unmatched++;
        }
      });
      overflow.get(s).values().removeIf(ArrayDeque::isEmpty);
    }
  }
}
