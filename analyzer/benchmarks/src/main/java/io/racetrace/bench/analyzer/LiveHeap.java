package io.racetrace.bench.analyzer;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** The largest heap in use right after any garbage collection: the peak live set, not garbage. */
final class LiveHeap {
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong gcs = new AtomicLong();

  static LiveHeap start() {
    LiveHeap h = new LiveHeap();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter em) {
        em.addNotificationListener((n, hb) -> {
          if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
          }
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = 0;
          for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
            used += u.getUsed();
          }
          h.gcs.incrementAndGet();
          h.peak.accumulateAndGet(used, Math::max);
        }, null, null);
      }
    }
    return h;
  }

  long peak() {
    return peak.get();
  }

  long gcs() {
    return gcs.get();
  }
}
