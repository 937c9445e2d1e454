package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Encodes and decodes the bodies of trace records. Stateless; with {@link RowDecoder}, which
 * decodes rows on the read path, the only place that knows the byte layout described in
 * {@code TRACE_FORMAT.md}.
 *
 * <p>Numbers that are usually small (ids, versions, values, durations) use Chronicle's stop-bit
 * encoding, so a typical row is 30 to 60 bytes. Encoding allocates nothing.
 */
public final class RowCodec {
  private RowCodec() {}

  /** Writes the record type and schema version that open every record. */
  public static void writeRecordStart(Bytes<?> out, byte recordType) {
    out.writeUnsignedByte(recordType);
    out.writeUnsignedByte(VERSION);
  }

  /** Writes a row; {@link RowEncoder} writes the same bytes into a plain array. */
  public static void writeRow(Bytes<?> out, TraceRow r) {
    out.writeUnsignedByte(r.kind.code);
    out.writeUnsignedByte(r.result.code);
    out.writeUnsignedShort(r.flags);
    out.writeStopBit(r.probeId);
    out.writeStopBit(r.threadId);
    out.writeStopBit(r.threadSeq);
    out.writeStopBit(r.attempt);
    out.writeLong(r.startNanos);
    out.writeStopBit(r.endNanos - r.startNanos);
    int f = r.flags;
    if ((f & F_READ_VERSION) != 0) out.writeStopBit(r.readVersion);
    if ((f & F_EXPECTED_VERSION) != 0) out.writeStopBit(r.expectedVersion);
    if ((f & F_WRITTEN_VERSION) != 0) out.writeStopBit(r.writtenVersion);
    if ((f & F_VALUE) != 0) out.writeStopBit(r.value);
    if ((f & F_REQUEST_ID) != 0) out.writeUtf8(r.requestId);
    if ((f & F_KEY) != 0) out.writeUtf8(r.key);
    if ((f & F_DETAIL) != 0) out.writeUtf8(r.detail);
    if ((f & F_KEY_BUCKET) != 0) out.writeUnsignedShort(r.keyBucket);
    if ((f & F_AMOUNT) != 0) out.writeStopBit(r.amount);
  }

  public static void writeSampling(Bytes<?> out, SamplingChange s) {
    out.writeLong(s.wallEpochNanos());
    out.writeLong(s.monoNanos());
    out.writeStopBit(s.level());
    out.writeStopBit(s.budgetPermille());
    out.writeStopBit(s.measuredPermille());
  }

  public static SamplingChange readSampling(Bytes<?> in) {
    return new SamplingChange(in.readLong(), in.readLong(), (int) in.readStopBit(), (int) in.readStopBit(),
        (int) in.readStopBit());
  }

  public static void writeHeader(Bytes<?> out, WorkerHeader h) {
    out.writeUtf8(h.workerId());
    out.writeStopBit(h.pid());
    out.writeUtf8(h.host());
    out.writeLong(h.captureId());
    out.writeUtf8(h.agentVersion());
    out.writeUtf8(h.jvm());
    out.writeUtf8(h.probeSource());
    out.writeUtf8(h.options());
    out.writeLong(h.wallEpochNanos());
    out.writeLong(h.monoNanos());
  }

  public static WorkerHeader readHeader(Bytes<?> in, int schemaVersion) {
    return new WorkerHeader(
        schemaVersion,
        in.readUtf8(),
        in.readStopBit(),
        in.readUtf8(),
        in.readLong(),
        in.readUtf8(),
        in.readUtf8(),
        in.readUtf8(),
        in.readUtf8(),
        in.readLong(),
        in.readLong());
  }

  public static void writeCounters(Bytes<?> out, CaptureCounters c) {
    out.writeStopBit(c.rowsOffered());
    out.writeStopBit(c.rowsWritten());
    out.writeStopBit(c.droppedRingFull());
    out.writeStopBit(c.droppedDiskLow());
    out.writeStopBit(c.droppedWriteError());
    out.writeStopBit(c.droppedSampled());
    out.writeStopBit(c.extractorErrors());
    out.writeStopBit(c.adviceErrors());
  }

  public static CaptureCounters readCounters(Bytes<?> in) {
    return new CaptureCounters(
        in.readStopBit(),
        in.readStopBit(),
        in.readStopBit(),
        in.readStopBit(),
        in.readStopBit(),
        in.readStopBit(),
        in.readStopBit(),
        in.readStopBit());
  }

  public static void writeProbe(Bytes<?> out, ProbeStatus p) {
    out.writeStopBit(p.probeId());
    out.writeUtf8(p.name());
    out.writeUtf8(p.role());
    out.writeUtf8(p.target());
    out.writeStopBit(p.matchedMethods());
  }

  public static ProbeStatus readProbe(Bytes<?> in) {
    return new ProbeStatus(
        (int) in.readStopBit(), in.readUtf8(), in.readUtf8(), in.readUtf8(), (int) in.readStopBit());
  }

  /**
   * A string as the queue stores it (after its stop-bit length), or null if malformed.
   *
   * <p>Chronicle writes each {@code char} as one to three UTF-8 bytes (a surrogate pair as two
   * three-byte sequences), so decode char by char rather than with the JDK's strict decoder.
   */
  public static String decodeUtf8(byte[] b, int off, int len) {
    char[] out = new char[len];
    int n = 0;
    int i = off;
    int e = off + len;
    while (i < e) {
      int c = b[i++] & 0xff;
      if (c < 0x80) {
        out[n++] = (char) c;
      } else if ((c >> 5) == 0x6 && i < e) {
        out[n++] = (char) (((c & 0x1f) << 6) | (b[i++] & 0x3f));
      } else if ((c >> 4) == 0xe && i + 1 < e) {
        out[n++] = (char) (((c & 0x0f) << 12) | ((b[i] & 0x3f) << 6) | (b[i + 1] & 0x3f));
        i += 2;
      } else {
        return null;
      }
    }
    return new String(out, 0, n);
  }
}
