package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes rows from a plain {@code byte[]} copy of a row record: the read path of {@link
 * TraceCursor}. Reads exactly the layout {@link RowCodec#writeRow} writes (Chronicle stop-bit
 * numbers, fixed-width numbers in native byte order as Chronicle writes them, stop-bit-length-prefixed UTF-8 strings) and gives the
 * same results as a plain field-by-field reading through Chronicle {@code Bytes} (the tests'
 * reference), about five times faster: no bounds-checked {@code
 * Bytes} calls per field, and it hashes the request id and key as it goes so that callers can
 * index by hash without hashing the strings again. A string whose hash is in its slot of a small
 * direct-mapped cache is not decoded again: a request's id recurs in its other rows, keys recur.
 *
 * <p>Concurrency: not thread-safe; one decoder per cursor. Failure handling: {@link #readRow}
 * returns a one-line problem instead of reading past {@code end}; an unreadable number surfaces
 * as a runtime exception, which the cursor turns into a {@link TraceFormatException}.
 */
public final class RowDecoder {
  /** Strings by hash, direct-mapped: a row's request id recurs in its request's other rows, keys recur. */
  private static final int CACHE_SIZE = 4096; // power of two
  private static final int MAX_CACHED_LENGTH = 128;
  private final long[] cachedHash = new long[CACHE_SIZE];
  private final String[] cachedString = new String[CACHE_SIZE];

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());


  byte[] a;
  /** Hash of the last row's request id, or 0 without one; see {@link TraceCursor#requestIdHash()}. */
  long requestIdHash;
  /** Hash of the last row's key, or 0 without one. */
  long keyHash;
  int pos;
  int end;

  /** Row flags the record's schema version defines. */
  private int knownFlags = KNOWN_FLAGS_V3;
  /** The highest event kind code the record's schema version defines. */
  private int maxKind = EventKind.maxCode(TraceSchema.VERSION);

  /** Reads from {@code a}, the next row at {@code pos}, the record's rows ending at {@code end}. */
  public void reset(byte[] a, int pos, int end, int schemaVersion) {
    this.knownFlags = TraceSchema.knownFlags(schemaVersion);
    this.maxKind = EventKind.maxCode(schemaVersion);
    this.a = a;
    this.pos = pos;
    this.end = end;
  }

  /** Decodes one row into {@code r}; returns {@code null} on success, else the problem. */
  public String readRow(TraceRow r) {
    if (end - pos < 4 + 4 + 8 + 1) {
      return "row truncated";
    }
    byte[] b = a;
    int p = pos;
    int kindCode = b[p] & 0xff;
    int resultCode = b[p + 1] & 0xff;
    int f = unsignedShortAt(b, p + 2);
    pos = p + 4;
    r.kind = EventKind.ofCode(kindCode);
    r.result = Result.ofCode(resultCode);
    if (r.kind == null || kindCode > maxKind) {
      return "unknown event kind " + kindCode;
    }
    if (r.result == null) {
      return "unknown result code " + resultCode;
    }
    if ((f & ~knownFlags) != 0) {
      return "unknown row flags 0x" + Integer.toHexString(f);
    }
    r.flags = f;
    r.probeId = (int) stopBit();
    r.threadId = stopBit();
    r.threadSeq = stopBit();
    r.attempt = (int) stopBit();
    if (end - pos < 8) {
      return "row truncated";
    }
    r.startNanos = longAt(pos);
    pos += 8;
    r.endNanos = r.startNanos + stopBit();
    r.readVersion = (f & F_READ_VERSION) != 0 ? stopBit() : 0;
    r.expectedVersion = (f & F_EXPECTED_VERSION) != 0 ? stopBit() : 0;
    r.writtenVersion = (f & F_WRITTEN_VERSION) != 0 ? stopBit() : 0;
    r.value = (f & F_VALUE) != 0 ? stopBit() : 0;
    if (pos > end) {
      return "row truncated";
    }
    String problem = null;
    r.requestId = null;
    r.key = null;
    r.detail = null;
    requestIdHash = 0;
    if ((f & F_REQUEST_ID) != 0 && (problem = string()) == null) {
      r.requestId = lastString;
      requestIdHash = lastHash;
    }
    keyHash = 0;
    if (problem == null && (f & F_KEY) != 0 && (problem = string()) == null) {
      r.key = lastString;
      keyHash = lastHash;
    }
    if (problem == null && (f & F_DETAIL) != 0 && (problem = string()) == null) {
      r.detail = lastString;
    }
    r.keyBucket = 0;
    if (problem == null && (f & F_KEY_BUCKET) != 0) {
      if (end - pos < 2) {
        return "row truncated";
      }
      r.keyBucket = unsignedShortAt(a, pos);
      pos += 2;
    }
    r.amount = 0;
    if (problem == null && (f & F_AMOUNT) != 0) {
      if (end - pos < 1) {
        return "row truncated";
      }
      r.amount = stopBit();
      if (pos > end) {
        return "row truncated";
      }
    }
    return problem;
  }

  /** The last string read by {@link #string()}. */
  String lastString;

  /** 64-bit hash of the bytes of the last string read (0 for null). */
  long lastHash;

  /**
   * Reads one string into {@link #lastString} and its hash into {@link #lastHash}; returns a
   * problem or {@code null}. Hashes eight bytes at a time; the caller guarantees that the array
   * has eight spare bytes after {@code end} (see {@link TraceCursor}).
   */
  private String string() {
    long n = stopBit();
    if (n == -1) {
      lastString = null;
      lastHash = 0;
      return pos > end ? "row truncated" : null;
    }
    if (n < 0 || n > end - pos) {
      return "row truncated or corrupt: string of " + n + " bytes with " + Math.max(0, end - pos) + " left";
    }
    int len = (int) n;
    int off = pos;
    pos += len;
    byte[] b = a;
    long h = hashBytes(b, off, len);
    lastHash = h;
    // The 64-bit hash stands for the string, as it already does for the analyzer's keys and
    // request ids (two strings that share one are one key, one id there): a hit hands back the
    // String decoded before without comparing bytes, which was measured slower than allocating.
    int slot = (int) h & (CACHE_SIZE - 1);
    if (cachedHash[slot] == h && len <= MAX_CACHED_LENGTH) {
      lastString = cachedString[slot];
      return null;
    }
    if (!lastAscii) {
      lastString = RowCodec.decodeUtf8(b, off, len);
      if (lastString == null) {
        return "malformed UTF-8 string";
      }
    } else {
      lastString = new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    if (len <= MAX_CACHED_LENGTH) {
      cachedHash[slot] = h;
      cachedString[slot] = lastString;
    }
    return null;
  }

  private boolean lastAscii;
  private static final long ASCII_MASK = 0x8080_8080_8080_8080L;
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /** A non-zero 64-bit hash of the bytes; sets {@link #lastAscii}. */
  private long hashBytes(byte[] b, int off, int len) {
    long h = 0x9E37_79B9_7F4A_7C15L ^ len;
    long seen = 0;
    int i = off;
    int e = off + len;
    if (LITTLE_ENDIAN) {
      for (; i + 8 <= e; i += 8) {
        long w = (long) LONG.get(b, i);
        seen |= w;
        h = mix(h ^ w);
      }
      if (i < e) {
        long w;
        if (i + 8 <= b.length) {
          w = (long) LONG.get(b, i) & (-1L >>> ((8 - (e - i)) << 3));
        } else { // the string ends the array: the same word, a byte at a time
          w = 0;
          for (int k = e - 1; k >= i; k--) {
            w = w << 8 | (b[k] & 0xFF);
          }
        }
        seen |= w;
        h = mix(h ^ w);
      }
    } else {
      for (; i < e; i++) {
        seen |= b[i] & 0x80;
        h = mix(h ^ b[i]);
      }
    }
    lastAscii = (seen & ASCII_MASK) == 0;
    h = mix(h);
    return h == 0 ? 1 : h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 32)) * 0xD6E8_FEB8_6659_FD93L;
    return z ^ (z >>> 29);
  }


  /** Chronicle's stop-bit encoding: 7 bits a byte, low first; a negative n is ~n ended by 0x00. */
  /**
   * The thread id of the row encoded at {@code p} (the writer names a row's thread before it
   * writes the row): the fourth field, after the kind, result and flags and the probe id.
   */
  public static long threadId(byte[] b, int p) {
    p += 4;
    while (b[p++] < 0) {
      // skip the probe id's stop-bit bytes
    }
    long l = b[p++];
    if (l >= 0) {
      return l;
    }
    l &= 0x7f;
    int shift = 7;
    int c;
    while ((c = b[p++]) < 0) {
      l |= (long) (c & 0x7f) << shift;
      shift += 7;
      if (shift > 70) {
        throw new IllegalStateException("stop-bit number longer than 10 bytes");
      }
    }
    return c != 0 ? l | (long) c << shift : ~l;
  }

  long stopBit() {
    byte[] b = a;
    int p = pos;
    long l = b[p++];
    if (l >= 0) {
      pos = p;
      return l;
    }
    l &= 0x7f;
    int shift = 7;
    int c;
    while ((c = b[p++]) < 0) {
      l |= (long) (c & 0x7f) << shift;
      shift += 7;
      if (shift > 70) {
        throw new IllegalStateException("stop-bit number longer than 10 bytes");
      }
    }
    pos = p;
    if (c != 0) {
      return l | (long) c << shift;
    }
    return ~l;
  }

  long longAt(int p) {
    return (long) LONG.get(a, p);
  }

  static int unsignedShortAt(byte[] a, int p) {
    return (short) SHORT.get(a, p) & 0xffff;
  }
}
