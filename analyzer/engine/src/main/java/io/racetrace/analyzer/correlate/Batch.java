package io.racetrace.analyzer.correlate;

import java.util.List;

/** A committed transaction's writes waiting for earlier transactions of their keys to end. */
final class Batch {
  final Correlator.ThreadCtx owner;
  final Held[] writes;
  final List<Dep> deps;
  /** When its transaction committed (its COMMIT row); a window of its writes lasts until then. */
  long commitWall;
  /** Its execution, whose REQUEST row came while the writes waited. */
  Exec waiting;

  Batch(Correlator.ThreadCtx owner, Held[] writes, List<Dep> deps) {
    this.owner = owner;
    this.writes = writes;
    this.deps = deps;
  }

  Dep firstOpenDep() {
    return Dep.firstOpen(deps);
  }

  Held lastOf(long keyHash) {
    for (int i = writes.length - 1; i >= 0; i--) {
      if (writes[i].write.keyHash == keyHash && Correlator.applies(writes[i].write.result)) {
        return writes[i];
      }
    }
    return null;
  }
}
