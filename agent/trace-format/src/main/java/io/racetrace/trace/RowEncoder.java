package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Encodes a row into a plain {@code byte[]}, byte for byte as {@link RowCodec#writeRow} writes it
 * through Chronicle (stop-bit numbers, fixed-width numbers in native byte order, strings as a
 * stop-bit byte count and Chronicle's {@code writeUtf8} bytes): the agent encodes each row on the
 * application thread into a buffer of its own and copies it into the ring, and the writer copies
 * it into the queue as it is. {@code RowEncoderTest} holds it to {@code RowCodec} on generated
 * rows; {@link RowCodec} stays the reference.
 *
 * <p>Stateless, allocation-free. Each method writes at {@code p} and returns the position after
 * what it wrote, or {@link #NO_ROOM} when the array is too short (the caller grows it and encodes
 * again).
 */
public final class RowEncoder {
  /** The array was too short. */
  public static final int NO_ROOM = -1;
  /** Room a row needs beyond its strings: the fixed fields and every number at its longest. */
  public static final int MAX_FIXED = 4 + 4 * 11 + 8 + 5 * 11 + 2 + 11 + 3 * 5;

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
  /** Stop-bit groups are in the stream's order, lowest first, whatever the platform's. */
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private RowEncoder() {}

  /**
   * Encodes one row at {@code p}, its optional fields as {@code flags} says; a string field whose
   * flag is set must be non-null. Returns the end position or {@link #NO_ROOM}.
   */
  public static int row(byte[] b, int p, int kind, int result, int flags, int probeId, long threadId,
      long threadSeq, int attempt, long startNanos, long endNanos, long readVersion, long expectedVersion,
      long writtenVersion, long value, String requestId, String key, String detail, int keyBucket, long amount) {
    if (b.length - p < MAX_FIXED) {
      return NO_ROOM;
    }
    b[p] = (byte) kind;
    b[p + 1] = (byte) result;
    SHORT.set(b, p + 2, (short) flags);
    p = stopBit(b, p + 4, probeId);
    p = stopBit(b, p, threadId);
    p = stopBit(b, p, threadSeq);
    p = stopBit(b, p, attempt);
    LONG.set(b, p, startNanos);
    p = stopBit(b, p + 8, endNanos - startNanos);
    if ((flags & F_READ_VERSION) != 0) p = stopBit(b, p, readVersion);
    if ((flags & F_EXPECTED_VERSION) != 0) p = stopBit(b, p, expectedVersion);
    if ((flags & F_WRITTEN_VERSION) != 0) p = stopBit(b, p, writtenVersion);
    if ((flags & F_VALUE) != 0) p = stopBit(b, p, value);
    if ((flags & F_REQUEST_ID) != 0 && (p = utf8(b, p, requestId)) == NO_ROOM) return NO_ROOM;
    if ((flags & F_KEY) != 0 && (p = utf8(b, p, key)) == NO_ROOM) return NO_ROOM;
    if ((flags & F_DETAIL) != 0 && (p = utf8(b, p, detail)) == NO_ROOM) return NO_ROOM;
    if (b.length - p < 2 + 11) return NO_ROOM;
    if ((flags & F_KEY_BUCKET) != 0) {
      SHORT.set(b, p, (short) keyBucket);
      p += 2;
    }
    if ((flags & F_AMOUNT) != 0) p = stopBit(b, p, amount);
    return p;
  }

  /** The array size that holds a row with these strings (each may be null), whatever its numbers. */
  public static int maxLength(String requestId, String key, String detail) {
    return MAX_FIXED + 16 + 3 * (len(requestId) + len(key) + len(detail));
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }

  /**
   * Chronicle's stop-bit encoding of {@code n}: seven bits a byte, low bits first, the top bit set
   * on all but the last; a negative number is written as its complement followed by a zero byte.
   * Needs up to 11 bytes at {@code p}, the caller has checked; may write up to 8 bytes beyond the
   * number's own.
   */
  public static int stopBit(byte[] b, int p, long n) {
    if ((n & ~0x7FL) == 0) {
      b[p] = (byte) n;
      return p + 1;
    }
    if ((n & ~0x3FFFL) == 0) {
      b[p] = (byte) ((n & 0x7F) | 0x80);
      b[p + 1] = (byte) (n >>> 7);
      return p + 2;
    }
    if ((n & ~0xFF_FFFF_FFFF_FFFFL) == 0 && b.length - p >= 8) {
      // 3 to 8 bytes without a loop: spread the seven-bit groups over a little-endian word, set
      // the continuation bit on all but the last, and store the word whole (the bytes beyond
      // the number's are written over by the next field, or lie beyond the row).
      int length = (64 - Long.numberOfLeadingZeros(n) + 6) / 7;
      long w = (n & 0x7FL)
          | (n << 1) & 0x7F00L
          | (n << 2) & 0x7F_0000L
          | (n << 3) & 0x7F00_0000L
          | (n << 4) & 0x7F_0000_0000L
          | (n << 5) & 0x7F00_0000_0000L
          | (n << 6) & 0x7F_0000_0000_0000L
          | (n << 7) & 0x7F00_0000_0000_0000L;
      w |= 0x8080_8080_8080_8080L & ((1L << ((length - 1) << 3)) - 1);
      LITTLE_ENDIAN_LONG.set(b, p, w);
      return p + length;
    }
    return stopBitExactly(b, p, n);
  }

  /** {@link #stopBit}, writing the number's bytes and no others. */
  static int stopBitExactly(byte[] b, int p, long n) {
    boolean negative = n < 0;
    if (negative) {
      n = ~n;
    }
    long rest;
    while ((rest = n >>> 7) != 0) {
      b[p++] = (byte) (0x80L | n);
      n = rest;
    }
    if (negative) {
      b[p++] = (byte) (0x80L | n);
      b[p++] = 0;
    } else {
      b[p++] = (byte) n;
    }
    return p;
  }

  /**
   * A string as Chronicle's {@code writeUtf8} writes it: its byte count as a stop-bit number, then
   * each {@code char} as one to three bytes (a surrogate as three, as Chronicle does). One pass over
   * the characters; the count is written after them, moving them only when it takes more than
   * one byte (strings of 128 bytes or more).
   */
  public static int utf8(byte[] b, int p, String s) {
    int n = s.length();
    int start = p + 1;
    if (b.length - start < n) {
      return NO_ROOM;
    }
    int q = start;
    int i = 0;
    for (; i < n; i++) { // the common case, ASCII: one byte a char
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[q++] = (byte) c;
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      int room = b.length - q;
      if (c < 0x80) {
        if (room < 1) return NO_ROOM;
        b[q++] = (byte) c;
      } else if (c < 0x800) {
        if (room < 2) return NO_ROOM;
        b[q++] = (byte) (0xC0 | (c >> 6));
        b[q++] = (byte) (0x80 | (c & 0x3F));
      } else {
        if (room < 3) return NO_ROOM;
        b[q++] = (byte) (0xE0 | (c >> 12));
        b[q++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[q++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    int count = q - start;
    if (count < 0x80) {
      b[p] = (byte) count;
      return q;
    }
    int countBytes = stopBitLength(count);
    if (b.length - q < countBytes - 1) {
      return NO_ROOM;
    }
    System.arraycopy(b, start, b, p + countBytes, count);
    stopBitExactly(b, p, count);
    return p + countBytes + count;
  }

  /** How many bytes {@link #stopBit} takes for a non-negative {@code n}. */
  static int stopBitLength(long n) {
    int bytes = 1;
    while ((n >>>= 7) != 0) {
      bytes++;
    }
    return bytes;
  }
}
