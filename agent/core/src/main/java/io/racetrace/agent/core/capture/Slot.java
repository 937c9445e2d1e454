package io.racetrace.agent.core.capture;

import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;

/**
 * One pre-allocated entry of the {@link EventRing}: a row in primitives and bytes.
 *
 * <p>Why no references: the ring's slots (32,768 by default) live for the whole capture, so the garbage
 * collector holds them in the old generation. Every reference an application thread stored into
 * one (the request's id and key, the row's kind) dirtied a card that G1 then had to refine and
 * scan at the next young collection, and kept the string alive for a whole ring cycle: measured
 * as extra GC work on every request (+7.7 µs per request at 900 req/s with strings left in the
 * slots, +4 µs once they were cleared on release). So the kind and result are their codes, and
 * the request id and key are copied into {@link #text} in the queue's own string encoding
 * ({@link #encode}), which the writer thread copies to the record as it is. A string that does
 * not fit (longer than {@link #TEXT_BYTES} with the other) falls back to a reference, cleared on
 * release; so does the exception class name of a row that threw, which is the JVM's own
 * string for the class.
 */
final class Slot {
  /** Room for the request id and key together; a UUID and a key of 90 ASCII characters fit. */
  static final int TEXT_BYTES = 128;
  /** {@link #requestIdLen} or {@link #keyLen}: the string is not in {@link #text}. */
  static final int NOT_INLINE = -1;

  /**
   * Ring sequence: slot is free for position {@code p} when {@code seq == p}, readable when
   * {@code seq == p + 1}. Read with acquire, written with release semantics through {@link #SEQ}:
   * a release store publishes the row without the full fence of a volatile write.
   */
  volatile long seq;

  static final java.lang.invoke.VarHandle SEQ;

  static {
    try {
      SEQ = java.lang.invoke.MethodHandles.lookup().findVarHandle(Slot.class, "seq", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  int kind;
  int result;
  int flags;
  int probeId;
  long threadId;
  long threadSeq;
  int attempt;
  long startNanos;
  long endNanos;
  long readVersion;
  long expectedVersion;
  long writtenVersion;
  long value;
  int keyBucket;
  long amount;
  /** The request id's bytes, then the key's, each as the queue encodes a string after its length. */
  final byte[] text = new byte[TEXT_BYTES];
  int requestIdLen = NOT_INLINE;
  int keyLen = NOT_INLINE;
  /** Fallbacks, set only for a string that did not fit in {@link #text}; cleared on release. */
  String requestIdRef;
  String keyRef;
  /** The exception class's name when the call threw, else null; cleared on release. */
  String detail;

  Slot(long initialSeq) {
    this.seq = initialSeq;
  }

  /** Stores the row's request id and key (either may be null), inline where they fit. */
  void strings(String requestId, String key) {
    int n = requestId == null ? NOT_INLINE : encode(requestId, text, 0);
    requestIdLen = n;
    requestIdRef = requestId != null && n == NOT_INLINE ? requestId : null;
    int m = key == null ? NOT_INLINE : encode(key, text, Math.max(n, 0));
    keyLen = m;
    keyRef = key != null && m == NOT_INLINE ? key : null;
  }

  void clearRefs() {
    requestIdRef = null;
    keyRef = null;
    detail = null;
  }

  /**
   * Writes {@code s} at {@code off} as Chronicle's {@code writeUtf8} writes a string's characters
   * (each {@code char} as one to three bytes, a surrogate as three), returning the byte count, or
   * {@link #NOT_INLINE} if it does not fit. One pass, no allocation.
   */
  static int encode(String s, byte[] b, int off) {
    int n = s.length();
    if (n > b.length - off) {
      return NOT_INLINE;
    }
    int p = off;
    int i = 0;
    for (; i < n; i++) { // the common case, ASCII: one byte a char
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[p++] = (byte) c;
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      int room = b.length - p;
      if (c < 0x80) {
        if (room < 1) {
          return NOT_INLINE;
        }
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        if (room < 2) {
          return NOT_INLINE;
        }
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else {
        if (room < 3) {
          return NOT_INLINE;
        }
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p - off;
  }

  /**
   * Copies the row's primitives into {@code r}, a row the writer thread owns, with its strings
   * left for {@link io.racetrace.trace.TraceQueueWriter.RowBatch#add} to take from {@link #text}:
   * {@code r.requestId} and {@code r.key} are set only for strings held by reference.
   */
  void copyTo(TraceRow r) {
    r.kind = EventKind.ofCode(kind);
    r.result = Result.ofCode(result);
    r.flags = flags;
    r.probeId = probeId;
    r.threadId = threadId;
    r.threadSeq = threadSeq;
    r.attempt = attempt;
    r.startNanos = startNanos;
    r.endNanos = endNanos;
    r.readVersion = readVersion;
    r.expectedVersion = expectedVersion;
    r.writtenVersion = writtenVersion;
    r.value = value;
    r.keyBucket = keyBucket;
    r.amount = amount;
    r.requestId = requestIdRef;
    r.key = keyRef;
    r.detail = detail;
  }

  /** The row with its strings decoded, as the queue would hold it (tests). */
  TraceRow toRow() {
    TraceRow r = new TraceRow();
    copyTo(r);
    r.requestId = requestId();
    r.key = key();
    return r;
  }

  /** The request id as a string, or null (the writer hashing ids; tests). */
  String requestId() {
    return requestIdLen != NOT_INLINE ? decode(text, 0, requestIdLen) : requestIdRef;
  }

  /** The key as a string, or null. */
  String key() {
    return keyLen != NOT_INLINE ? decode(text, Math.max(requestIdLen, 0), keyLen) : keyRef;
  }

  /** The inverse of {@link #encode}: the queue's own string decoding. */
  static String decode(byte[] b, int off, int len) {
    return io.racetrace.trace.RowCodec.decodeUtf8(b, off, len);
  }
}
