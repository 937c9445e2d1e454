package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;

import net.openhft.chronicle.bytes.Bytes;

/**
 * A plain, field-by-field reading of a row through Chronicle {@code Bytes}, kept as the test
 * oracle for the cursor's fast {@link RowDecoder}.
 */
final class ReferenceRowReader {
  private ReferenceRowReader() {}

  /**
   * Decodes one row into {@code r}.
   *
   * @return {@code null} on success, else a one-line description of what is wrong with the bytes
   */
  static String readRow(Bytes<?> in, TraceRow r) {
    if (in.readRemaining() < 4 + 4 + 8 + 1) {
      return "row truncated";
    }
    int kindCode = in.readUnsignedByte();
    int resultCode = in.readUnsignedByte();
    int f = in.readUnsignedShort();
    r.kind = EventKind.ofCode(kindCode);
    r.result = Result.ofCode(resultCode);
    if (r.kind == null) { // the reference reader follows the current version (4: kinds up to ROLLBACK)
      return "unknown event kind " + kindCode;
    }
    if (r.result == null) {
      return "unknown result code " + resultCode;
    }
    if ((f & ~KNOWN_FLAGS_V3) != 0) {
      return "unknown row flags 0x" + Integer.toHexString(f);
    }
    r.flags = f;
    r.probeId = (int) in.readStopBit();
    r.threadId = in.readStopBit();
    r.threadSeq = in.readStopBit();
    r.attempt = (int) in.readStopBit();
    r.startNanos = in.readLong();
    r.endNanos = r.startNanos + in.readStopBit();
    r.readVersion = (f & F_READ_VERSION) != 0 ? in.readStopBit() : 0;
    r.expectedVersion = (f & F_EXPECTED_VERSION) != 0 ? in.readStopBit() : 0;
    r.writtenVersion = (f & F_WRITTEN_VERSION) != 0 ? in.readStopBit() : 0;
    r.value = (f & F_VALUE) != 0 ? in.readStopBit() : 0;
    r.requestId = (f & F_REQUEST_ID) != 0 ? in.readUtf8() : null;
    r.key = (f & F_KEY) != 0 ? in.readUtf8() : null;
    r.detail = (f & F_DETAIL) != 0 ? in.readUtf8() : null;
    r.keyBucket = (f & F_KEY_BUCKET) != 0 ? in.readUnsignedShort() : 0;
    r.amount = (f & F_AMOUNT) != 0 ? in.readStopBit() : 0;
    return null;
  }

}
