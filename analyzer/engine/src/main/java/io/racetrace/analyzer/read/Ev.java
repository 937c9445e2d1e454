package io.racetrace.analyzer.read;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;

/**
 * One trace row on the merged timeline: the row's fields plus the queue it came from, its
 * wall-clock times (the queue's anchor applied) and the 64-bit hashes of its request id and key.
 *
 * <p>Memory: the reader recycles {@code Ev} instances; a detector that keeps one past its callback
 * keeps a {@link #copy()}.
 */
public final class Ev {
  public EventKind kind;
  public Result result;
  public int flags;
  /** Index of the queue in the analysis' list of queues. */
  public int source;
  public int probeId;
  public long threadId;
  public long threadSeq;
  public int attempt;
  /** Monotonic times of the writing JVM, as in the row. */
  public long startNanos;
  public long endNanos;
  /** Wall-clock nanoseconds since the epoch. */
  public long startWall;
  public long endWall;
  public long readVersion;
  public long expectedVersion;
  public long writtenVersion;
  public long value;
  /** Units a write took from its key's stock (negative: added), when {@link TraceSchema#F_AMOUNT} is set (schema version 3). */
  public long amount;
  public String requestId;
  public String key;
  public String detail;
  /**
   * Sampling bucket of the row's key (for rows inside a request, of the request's key), 0..65535,
   * when {@link TraceSchema#F_KEY_BUCKET} is set (schema version 2).
   */
  public int keyBucket;
  /** Hash of {@link #requestId} (0 if none); equal ids have equal hashes. */
  public long reqHash;
  /** Hash of {@link #key} (0 if none). */
  public long keyHash;
  /** Position on the merged timeline, 0-based; also the row number in {@code rows.csv}. */
  public long seq;
  /**
   * Not a row field: the correlator saw this write's transaction commit (its thread's COMMIT row
   * came, with transaction probes), so no read after it can see the state before it.
   */
  public boolean committed;
  /**
   * Not a row field: the correlator found that this read shows, or comes after, a committed write
   * it holds until an earlier transaction's end decides its place in the order. The read is placed
   * when its own write comes, never on the state before that write, and is no sign of a write row
   * that left late.
   */
  public boolean showsHeldWrite;
  /**
   * Not a row field: the wall time this write's transaction committed, when transaction probes
   * showed it (its thread's COMMIT row, or a read that showed it committed); 0 if not known. A
   * read-modify-write window lasts until then: another read before it still sees the old state.
   */
  public long commitWall;

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /**
   * A read or write made inside a request: the agent flags the ones outside any request. A request
   * probe need not extract an id (many services have none), so the id is not what decides.
   */
  public boolean hasRequest() {
    return (flags & TraceSchema.F_NO_REQUEST) == 0;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  void set(TraceRow r, int source, long wallOffset, long reqHash, long keyHash) {
    kind = r.kind;
    result = r.result;
    flags = r.flags;
    this.source = source;
    probeId = r.probeId;
    threadId = r.threadId;
    threadSeq = r.threadSeq;
    attempt = r.attempt;
    startNanos = r.startNanos;
    endNanos = r.endNanos;
    startWall = r.startNanos + wallOffset;
    endWall = r.endNanos + wallOffset;
    readVersion = r.readVersion;
    expectedVersion = r.expectedVersion;
    writtenVersion = r.writtenVersion;
    value = r.value;
    amount = r.amount;
    requestId = r.requestId;
    key = r.key;
    detail = r.detail;
    keyBucket = r.keyBucket;
    this.reqHash = reqHash;
    this.keyHash = keyHash;
    commitWall = 0;
  }

  public Ev copy() {
    Ev e = new Ev();
    e.copyFrom(this);
    return e;
  }

  /** Makes this row a copy of {@code o}. */
  public void copyFrom(Ev o) {
    this.kind = o.kind;
    this.result = o.result;
    this.flags = o.flags;
    this.source = o.source;
    this.probeId = o.probeId;
    this.threadId = o.threadId;
    this.threadSeq = o.threadSeq;
    this.attempt = o.attempt;
    this.startNanos = o.startNanos;
    this.endNanos = o.endNanos;
    this.startWall = o.startWall;
    this.endWall = o.endWall;
    this.readVersion = o.readVersion;
    this.expectedVersion = o.expectedVersion;
    this.writtenVersion = o.writtenVersion;
    this.value = o.value;
    this.amount = o.amount;
    this.requestId = o.requestId;
    this.key = o.key;
    this.detail = o.detail;
    this.keyBucket = o.keyBucket;
    this.reqHash = o.reqHash;
    this.keyHash = o.keyHash;
    this.seq = o.seq;
    this.committed = o.committed;
    this.showsHeldWrite = o.showsHeldWrite;
    this.commitWall = o.commitWall;
  }

  /** A row for hand-built tests and generators: times are wall nanoseconds. */
  public static Ev of(EventKind kind, Result result, String requestId, String key, long startWall, long endWall) {
    Ev e = new Ev();
    e.kind = kind;
    e.result = result;
    e.requestId = requestId;
    e.key = key;
    e.startWall = e.startNanos = startWall;
    e.endWall = e.endNanos = endWall;
    return e;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(96).append(kind).append(' ').append(result);
    sb.append(" req=").append(requestId).append(" key=").append(key).append(" attempt=").append(attempt);
    if (has(TraceSchema.F_READ_VERSION)) sb.append(" readV=").append(readVersion);
    if (has(TraceSchema.F_EXPECTED_VERSION)) sb.append(" expectedV=").append(expectedVersion);
    if (has(TraceSchema.F_WRITTEN_VERSION)) sb.append(" writtenV=").append(writtenVersion);
    if (has(TraceSchema.F_VALUE)) sb.append(" value=").append(value);
    if (has(TraceSchema.F_KEY_BUCKET)) sb.append(" bucket=").append(keyBucket);
    if (has(TraceSchema.F_AMOUNT)) sb.append(" amount=").append(amount);
    return sb.append(" q").append(source).append(" thread=").append(threadId).append('#').append(threadSeq)
        .append(" wall=").append(startWall).append("..").append(endWall).toString();
  }
}
