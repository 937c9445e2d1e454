package io.racetrace.trace;

/**
 * Constants of the trace schema. The layout they describe is documented, field by field, in
 * {@code TRACE_FORMAT.md} at the repository root; change both together, and bump {@link #VERSION}
 * whenever a reader of the previous version would misread the new bytes.
 *
 * <p>A capture is one Chronicle Queue directory per JVM. Each queue document (excerpt) is one
 * record: a record-type byte, the schema version byte, then the record body. Row records carry a
 * batch of rows so that the queue's per-document cost is paid once per batch, not once per event.
 */
public final class TraceSchema {
  /** Current schema version, written into every record. */
  public static final int VERSION = 4;

  /** Oldest schema version this reader still understands. */
  public static final int MIN_READABLE_VERSION = 1;

  // Record types: the first byte of each document.
  public static final byte REC_HEADER = 'H';
  public static final byte REC_ANCHOR = 'A';
  public static final byte REC_THREAD = 'T';
  public static final byte REC_PROBE = 'P';
  public static final byte REC_ROWS = 'R';
  public static final byte REC_COUNTERS = 'C';
  public static final byte REC_FOOTER = 'F';
  /** Since version 2: the agent's key-sampling level changed (overhead budget). */
  public static final byte REC_SAMPLING = 'S';

  // Row flags: which optional fields follow the fixed part of a row.
  public static final int F_READ_VERSION = 1;
  public static final int F_EXPECTED_VERSION = 1 << 1;
  public static final int F_WRITTEN_VERSION = 1 << 2;
  public static final int F_VALUE = 1 << 3;
  public static final int F_REQUEST_ID = 1 << 4;
  public static final int F_KEY = 1 << 5;
  public static final int F_DETAIL = 1 << 6;
  /** The method exited by throwing; {@code detail} names the exception class. */
  public static final int F_THROWN = 1 << 7;
  /** The value is a hash of a non-numeric state, comparable for equality only. */
  public static final int F_VALUE_HASHED = 1 << 8;
  /** A read or write outside any request: request id and attempt are not set by a request. */
  public static final int F_NO_REQUEST = 1 << 9;
  /** The agent injected a delay or a rendezvous at this point (reproduction mode). */
  public static final int F_INJECTED = 1 << 10;

  /** Since version 2: the method's entry time was not taken; {@code start == end}. */
  public static final int F_UNTIMED = 1 << 11;
  /** Since version 2: the row carries the sampling bucket of its key (u16, after detail). */
  public static final int F_KEY_BUCKET = 1 << 12;

  /**
   * Since version 3: the row carries the units a write took from its key's stock (stop-bit, signed:
   * positive takes, negative adds; after the key bucket), from the write probe's {@code amount:}.
   */
  public static final int F_AMOUNT = 1 << 13;

  /** Flags a version-1 reader understands; a row with any other flag set is rejected. */
  public static final int KNOWN_FLAGS_V1 = (1 << 11) - 1;
  /** Flags a version-2 reader understands. */
  public static final int KNOWN_FLAGS_V2 = (1 << 13) - 1;
  /** Flags a version-3 reader understands. */
  public static final int KNOWN_FLAGS_V3 = (1 << 14) - 1;

  /** The row flags records of schema version {@code version} may carry. */
  public static int knownFlags(int version) {
    return version >= 3 ? KNOWN_FLAGS_V3 : version == 2 ? KNOWN_FLAGS_V2 : KNOWN_FLAGS_V1;
  }

  /** Sampling level meaning "every key": a key is kept while its bucket is below the level. */
  public static final int SAMPLE_ALL = 1 << 16;

  /** Most rows in one row record; keeps documents small and the count in two bytes. */
  public static final int MAX_ROWS_PER_RECORD = 4096;

  private TraceSchema() {}
}
