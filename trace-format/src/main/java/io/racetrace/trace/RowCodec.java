package io.racetrace.trace;

import static io.racetrace.trace.TraceSchema.*;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Encodes and decodes the bodies of trace records. Stateless; the only place that knows the byte
 * layout described in {@code TRACE_FORMAT.md}.
 *
 * <p>Numbers that are usually small (ids, versions, values, durations) use Chronicle's stop-bit
 * encoding, so a typical row is 30 to 60 bytes. Encoding allocates nothing; decoding allocates only
 * the strings it returns.
 */
public final class RowCodec {
  private RowCodec() {}

  /** Writes the record type and schema version that open every record. */
  public static void writeRecordStart(Bytes<?> out, byte recordType) {
    out.writeUnsignedByte(recordType);
    out.writeUnsignedByte(VERSION);
  }

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
  }

  /**
   * Decodes one row into {@code r}.
   *
   * @return {@code null} on success, else a one-line description of what is wrong with the bytes
   */
  public static String readRow(Bytes<?> in, TraceRow r) {
    if (in.readRemaining() < 4 + 4 + 8 + 1) {
      return "row truncated";
    }
    int kindCode = in.readUnsignedByte();
    int resultCode = in.readUnsignedByte();
    int f = in.readUnsignedShort();
    r.kind = EventKind.ofCode(kindCode);
    r.result = Result.ofCode(resultCode);
    if (r.kind == null) {
      return "unknown event kind " + kindCode;
    }
    if (r.result == null) {
      return "unknown result code " + resultCode;
    }
    if ((f & ~KNOWN_FLAGS_V1) != 0) {
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
    return null;
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
}
