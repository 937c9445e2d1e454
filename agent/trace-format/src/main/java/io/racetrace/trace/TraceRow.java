package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;

/**
 * One trace row, the unit of capture. Mutable on purpose: the agent fills pre-allocated rows and
 * readers decode into one reused instance, so neither side allocates per event. Call {@link
 * #copy()} to keep a row beyond the callback that handed it to you.
 *
 * <p>Times are monotonic nanoseconds of the writing JVM ({@code System.nanoTime()}); the queue's
 * {@link WorkerHeader} anchors them to the wall clock so that several JVMs merge on one timeline.
 */
public final class TraceRow {
  public EventKind kind;
  public Result result = Result.NONE;
  /** Bit set of {@code TraceSchema.F_*}: says which optional fields hold a value. */
  public int flags;
  /** Index of the probe, in the queue's probe records, that produced the row. */
  public int probeId;
  public long threadId;
  /** Per-thread sequence number, counting every row the thread offered, dropped or not. */
  public long threadSeq;
  /** 1 for the first read-modify-write attempt of a request, 2 for its first retry, and so on. */
  public int attempt;
  public long startNanos;
  public long endNanos;
  public long readVersion;
  public long expectedVersion;
  public long writtenVersion;
  public long value;
  public String requestId;
  public String key;
  /** Free text: the exception class when {@link TraceSchema#F_THROWN} is set. */
  public String detail;
  /** Sampling bucket of the row's key, 0..65535, when {@link TraceSchema#F_KEY_BUCKET} is set. */
  public int keyBucket;
  /**
   * Units a write took from its key's stock (negative: added), when {@link TraceSchema#F_AMOUNT} is
   * set (schema version 3).
   */
  public long amount;

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** Clears every field, leaving a row ready to be filled again. */
  public TraceRow clear() {
    kind = null;
    result = Result.NONE;
    flags = 0;
    probeId = 0;
    threadId = 0;
    threadSeq = 0;
    attempt = 0;
    startNanos = 0;
    endNanos = 0;
    readVersion = 0;
    expectedVersion = 0;
    writtenVersion = 0;
    value = 0;
    requestId = null;
    key = null;
    detail = null;
    keyBucket = 0;
    amount = 0;
    return this;
  }

  public TraceRow copyFrom(TraceRow o) {
    kind = o.kind;
    result = o.result;
    flags = o.flags;
    probeId = o.probeId;
    threadId = o.threadId;
    threadSeq = o.threadSeq;
    attempt = o.attempt;
    startNanos = o.startNanos;
    endNanos = o.endNanos;
    readVersion = o.readVersion;
    expectedVersion = o.expectedVersion;
    writtenVersion = o.writtenVersion;
    value = o.value;
    requestId = o.requestId;
    key = o.key;
    detail = o.detail;
    keyBucket = o.keyBucket;
    amount = o.amount;
    return this;
  }

  public TraceRow copy() {
    return new TraceRow().copyFrom(this);
  }

  // Fluent setters for building rows by hand (tests, golden files, generators).

  public TraceRow readVersion(long v) {
    readVersion = v;
    flags |= F_READ_VERSION;
    return this;
  }

  public TraceRow expectedVersion(long v) {
    expectedVersion = v;
    flags |= F_EXPECTED_VERSION;
    return this;
  }

  public TraceRow writtenVersion(long v) {
    writtenVersion = v;
    flags |= F_WRITTEN_VERSION;
    return this;
  }

  public TraceRow value(long v) {
    value = v;
    flags |= F_VALUE;
    return this;
  }

  public TraceRow requestId(String id) {
    requestId = id;
    flags = id == null ? flags & ~F_REQUEST_ID : flags | F_REQUEST_ID;
    return this;
  }

  public TraceRow key(String k) {
    key = k;
    flags = k == null ? flags & ~F_KEY : flags | F_KEY;
    return this;
  }

  public TraceRow keyBucket(int b) {
    keyBucket = b;
    flags |= F_KEY_BUCKET;
    return this;
  }

  public TraceRow amount(long units) {
    amount = units;
    flags |= F_AMOUNT;
    return this;
  }

  public TraceRow detail(String d) {
    detail = d;
    flags = d == null ? flags & ~F_DETAIL : flags | F_DETAIL;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TraceRow)) {
      return false;
    }
    TraceRow r = (TraceRow) o;
    return kind == r.kind
        && result == r.result
        && flags == r.flags
        && probeId == r.probeId
        && threadId == r.threadId
        && threadSeq == r.threadSeq
        && attempt == r.attempt
        && startNanos == r.startNanos
        && endNanos == r.endNanos
        && (!has(F_READ_VERSION) || readVersion == r.readVersion)
        && (!has(F_EXPECTED_VERSION) || expectedVersion == r.expectedVersion)
        && (!has(F_WRITTEN_VERSION) || writtenVersion == r.writtenVersion)
        && (!has(F_VALUE) || value == r.value)
        && (!has(F_KEY_BUCKET) || keyBucket == r.keyBucket)
        && (!has(F_AMOUNT) || amount == r.amount)
        && java.util.Objects.equals(requestId, r.requestId)
        && java.util.Objects.equals(key, r.key)
        && java.util.Objects.equals(detail, r.detail);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, requestId, key, threadId, threadSeq, startNanos);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(96).append(kind).append(' ').append(result);
    sb.append(" req=").append(requestId).append(" key=").append(key).append(" attempt=").append(attempt);
    if (has(F_READ_VERSION)) sb.append(" readV=").append(readVersion);
    if (has(F_EXPECTED_VERSION)) sb.append(" expectedV=").append(expectedVersion);
    if (has(F_WRITTEN_VERSION)) sb.append(" writtenV=").append(writtenVersion);
    if (has(F_VALUE)) sb.append(" value=").append(value);
    if (has(F_KEY_BUCKET)) sb.append(" bucket=").append(keyBucket);
    if (has(F_AMOUNT)) sb.append(" amount=").append(amount);
    if (detail != null) sb.append(" detail=").append(detail);
    return sb.append(" thread=").append(threadId).append('#').append(threadSeq)
        .append(" t=").append(startNanos).append("..").append(endNanos).toString();
  }
}
