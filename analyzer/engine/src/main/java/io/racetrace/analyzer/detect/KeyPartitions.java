package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.ExecutionSink;
import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.correlate.Observed;
import io.racetrace.analyzer.read.Ev;
import java.util.List;

/**
 * Spreads one correlator's output over several {@link DetectorSet}s by key, the seam of a
 * key-partitioned run: a key's reads and writes, and the ledger of its confirmations, go to the
 * partition of its key; the duplicate check of an execution to the partition of its request id
 * (all deliveries of an id meet there, whatever they wrote). {@link #merged} folds the partitions
 * into one set, whose results equal those of a single set fed every row.
 *
 * <p>Here the partitions run on the caller's thread, one after another; a parallel run would put
 * each behind a queue of its own.
 */
public final class KeyPartitions implements ExecutionSink {
  private final List<DetectorSet> parts;

  public KeyPartitions(List<DetectorSet> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no partitions");
    }
    this.parts = parts;
  }

  private DetectorSet part(long hash) {
    return parts.get((int) Long.remainderUnsigned(hash * 0x9E37_79B9_7F4A_7C15L, parts.size()));
  }

  @Override
  public void onArrival(Ev a) {
    part(a.reqHash).onArrival(a);
  }

  @Override
  public Observed onRead(Ev read, Exec exec) {
    return part(read.keyHash).onRead(read, exec);
  }

  @Override
  public int shownState(Ev read) {
    return part(read.keyHash).shownState(read);
  }

  @Override
  public void onWrite(Ev write, Exec exec, Observed read) {
    part(write.keyHash).onWrite(write, exec, read);
  }

  @Override
  public void onDiscardedWrite(Ev write, Exec exec) {
    part(write.keyHash).onDiscardedWrite(write, exec);
  }

  @Override
  public void onExecution(Exec x) {
    part(DetectorSet.requestKey(x)).countRequest(x);
    int flags = part(x.reqHash).checkDuplicate(x);
    part(x.ledgerKeyHash()).complete(x, flags);
  }

  /** The partitions folded into the first; call once, after the last row. */
  public DetectorSet merged() {
    DetectorSet m = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      m.merge(parts.get(i));
    }
    return m;
  }
}
