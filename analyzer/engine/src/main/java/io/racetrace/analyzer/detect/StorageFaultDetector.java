package io.racetrace.analyzer.detect;

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
public final class StorageFaultDetector {
  static final int MAX_CLASSES = 50;

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
  public boolean onStorage(Ev e, Exec exec) {
    if (e.result != Result.TIMEOUT && e.result != Result.ERROR) {
      return false;
    }
    boolean timeout = e.result == Result.TIMEOUT;
    if (e.kind == EventKind.READ) {
      if (timeout) readTimeouts++; else readErrors++;
    } else {
      if (timeout) writeTimeouts++; else writeErrors++;
    }
    if (exec != null) {
      if (timeout) exec.storageTimeouts++; else exec.storageErrors++;
    }
    String cls = e.detail != null ? e.detail : e.result.name().toLowerCase();
    if (byException.size() < MAX_CLASSES || byException.containsKey(cls)) {
      byException.merge(cls, 1L, Long::sum);
    } else {
      byException.merge("(other)", 1L, Long::sum);
    }
    return true;
  }

  public void onExecution(Exec exec, Ev request) {
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
