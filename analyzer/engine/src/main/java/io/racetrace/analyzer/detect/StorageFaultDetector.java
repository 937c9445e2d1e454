package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.model.Results.StorageFaultResult;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Storage faults: reads and writes that timed out or threw, which version conflicts do not
 * explain, and the 5xx answers they caused. A 5xx answer is attributed to a storage fault if its
 * execution saw one, to conflicts if it saw only failed conditional writes (a retry budget
 * exhausted), and is "unexplained" otherwise.
 *
 * <p>Memory: counters and at most {@link #MAX_CLASSES} exception class names.
 */
public final class StorageFaultDetector implements Detector<StorageFaultDetector> {
  static final int MAX_CLASSES = 50;
  static final String OTHER = "(other)";

  private long readTimeouts;
  private long readErrors;
  private long writeTimeouts;
  private long writeErrors;
  private final Map<String, Long> byException = new TreeMap<>();
  private long requests5xx;
  private long withFault;
  private long afterConflicts;
  private long unexplained;

  /** A storage row; returns true if it was a fault. */
  public boolean onStorage(Ev e) {
    if (e.result != Result.TIMEOUT && e.result != Result.ERROR) {
      return false;
    }
    boolean timeout = e.result == Result.TIMEOUT;
    if (e.kind == EventKind.READ) {
      if (timeout) readTimeouts++; else readErrors++;
    } else {
      if (timeout) writeTimeouts++; else writeErrors++;
    }
    String cls = e.detail != null ? e.detail : e.result.name().toLowerCase();
    count(cls, 1);
    return true;
  }

  private void count(String cls, long n) {
    if (byException.size() < MAX_CLASSES || byException.containsKey(cls)) {
      byException.merge(cls, n, Long::sum);
    } else {
      byException.merge(OTHER, n, Long::sum);
    }
  }

  public void onExecution(Exec exec) {
    Ev request = exec.request;
    if (request.result != Result.TIMEOUT && request.result != Result.ERROR) {
      return;
    }
    requests5xx++;
    if (exec.storageTimeouts + exec.storageErrors > 0) {
      withFault++;
    } else if (exec.writeConflicts > 0) {
      afterConflicts++;
    } else {
      unexplained++;
    }
  }

  /**
   * Exact while the partitions together see at most {@link #MAX_CLASSES} exception classes;
   * beyond that, which classes get their own line depends on the order they are merged in.
   */
  @Override
  public void merge(StorageFaultDetector o) {
    readTimeouts += o.readTimeouts;
    readErrors += o.readErrors;
    writeTimeouts += o.writeTimeouts;
    writeErrors += o.writeErrors;
    o.byException.forEach((cls, n) -> {
      if (!cls.equals(OTHER)) {
        count(cls, n);
      }
    });
    Long other = o.byException.get(OTHER);
    if (other != null) {
      byException.merge(OTHER, other, Long::sum);
    }
    requests5xx += o.requests5xx;
    withFault += o.withFault;
    afterConflicts += o.afterConflicts;
    unexplained += o.unexplained;
  }

  public long faults() {
    return readTimeouts + readErrors + writeTimeouts + writeErrors;
  }

  public StorageFaultResult result() {
    Map<String, Long> sorted = new LinkedHashMap<>();
    byException.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(en -> sorted.put(en.getKey(), en.getValue()));
    return new StorageFaultResult(readTimeouts, readErrors, writeTimeouts, writeErrors, sorted, requests5xx, withFault,
        afterConflicts, unexplained, faults());
  }
}
