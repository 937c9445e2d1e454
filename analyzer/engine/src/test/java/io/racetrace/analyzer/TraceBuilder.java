package io.racetrace.analyzer;

import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.Result;
import io.racetrace.trace.SamplingChange;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import io.racetrace.trace.WorkerHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small capture queues by hand, with known interleavings, through the real {@link
 * TraceQueueWriter}. Times are microseconds since the capture's start; the header anchors
 * monotonic {@link #MONO0} to {@link #WALL0}. Rows are written in end-time order (as the agent
 * emits them, at method exit) unless {@link #writeInCallOrder()} is set; per-thread sequence
 * numbers follow end-time order, as the agent assigns them when a row is offered.
 *
 * <p>Public for the test packages below this one (the differential test builds its rows with {@link
 * #add}).
 */
public final class TraceBuilder {
  static final long WALL0 = 1_700_000_000_000_000_000L;
  static final long MONO0 = 5_000_000_000L;

  private final Path dir;
  private final List<TraceRow> rows = new ArrayList<>();
  private final Map<Long, Long> seq = new HashMap<>();
  private final List<ProbeStatus> probes = new ArrayList<>();
  private String worker = "worker-1";
  private String probeSource = "probes.yaml";
  private boolean footer = true;
  private boolean callOrder;
  private long blockSize = TraceQueueWriter.DEFAULT_BLOCK_SIZE;
  private CaptureCounters counters;
  private final List<SamplingChange> sampling = new ArrayList<>();
  private final Map<String, Integer> buckets = new HashMap<>();

  public TraceBuilder(Path dir) {
    this.dir = dir;
    probes.add(new ProbeStatus(0, "request", "request", "com.acme.Api#reserve", 1));
    probes.add(new ProbeStatus(1, "read", "read", "com.acme.Store#read", 1));
    probes.add(new ProbeStatus(2, "write", "write", "com.acme.Store#write", 1));
  }

  public TraceBuilder worker(String w) {
    worker = w;
    return this;
  }

  public TraceBuilder probeSource(String source) {
    probeSource = source;
    return this;
  }

  TraceBuilder noFooter() {
    footer = false;
    return this;
  }

  TraceBuilder counters(CaptureCounters c) {
    counters = c;
    return this;
  }

  public TraceBuilder probe(ProbeStatus p) {
    probes.add(p);
    return this;
  }

  /**
   * A sampling record (schema version 2) written at {@code atUs}: before every row that ends after
   * it (and before rows ending at that time). {@code level} is the new sampling level; budget and measured overhead are in permille.
   */
  TraceBuilder sampling(long atUs, int level, int budgetPermille, int measuredPermille) {
    sampling.add(new SamplingChange(WALL0 + atUs * 1000, MONO0 + atUs * 1000, level, budgetPermille,
        measuredPermille));
    return this;
  }

  /** Every row of {@code key} carries {@code bucket} as its sampling bucket ({@code F_KEY_BUCKET}). */
  TraceBuilder bucket(String key, int bucket) {
    buckets.put(key, bucket);
    return this;
  }

  /** Chronicle's block size for the queue file: small blocks make small files, fast to write. */
  public TraceBuilder blockSize(long bytes) {
    blockSize = bytes;
    return this;
  }

  TraceBuilder writeInCallOrder() {
    callOrder = true;
    return this;
  }

  private final List<TraceRow> dropped = new ArrayList<>();

  /** A row the agent offered on {@code thread} at {@code atUs} but dropped: it burns a sequence number. */
  TraceBuilder dropAt(long thread, long atUs) {
    TraceRow r = row(EventKind.REQUEST, Result.SUCCESS, thread, "dropped", null, atUs, atUs);
    dropped.add(r);
    return this;
  }

  private TraceRow row(EventKind kind, Result result, long thread, String req, String key, long startUs, long endUs) {
    TraceRow r = new TraceRow();
    r.kind = kind;
    r.result = result;
    r.threadId = thread;
    r.startNanos = MONO0 + startUs * 1000;
    r.endNanos = MONO0 + endUs * 1000;
    r.attempt = kind == EventKind.ARRIVAL ? 0 : 1;
    r.probeId = kind == EventKind.READ ? 1 : kind == EventKind.WRITE ? 2 : kind == EventKind.ARRIVAL ? 3
        : kind == EventKind.COMMIT ? 4 : kind == EventKind.ROLLBACK ? 5 : 0;
    if (req == NO_ID) {
      // inside a request whose probe extracts no id: no id, and not flagged as outside a request
    } else if (req != null) {
      r.requestId(req);
    } else if (kind != EventKind.ARRIVAL && kind != EventKind.REQUEST) {
      r.flags |= TraceSchema.F_NO_REQUEST;
    }
    if (key != null) {
      r.key(key);
    }
    rows.add(r);
    return r;
  }

  /**
   * A row of any kind with no optional field but the request id and key ({@link #NO_ID} for a row
   * inside a request without id, {@code null} for a read or write outside any request); the caller
   * sets the rest with the row's own setters.
   */
  public TraceRow add(EventKind kind, Result result, long thread, String req, String key, long startUs, long endUs) {
    return row(kind, result, thread, req, key, startUs, endUs);
  }

  /** As a request id: the row belongs to a request whose probe has no requestId. */
  public static final String NO_ID = new String("<no id>");

  TraceRow arrival(long thread, String req, String key, long atUs) {
    return row(EventKind.ARRIVAL, Result.NONE, thread, req, key, atUs, atUs);
  }

  TraceRow request(long thread, String req, String key, Result result, long startUs, long endUs) {
    return row(EventKind.REQUEST, result, thread, req, key, startUs, endUs);
  }

  /** A read of {@code key} returning {@code value} at {@code version}. */
  TraceRow read(long thread, String req, String key, long version, long value, long startUs, long endUs) {
    return row(EventKind.READ, Result.SUCCESS, thread, req, key, startUs, endUs).readVersion(version).value(value);
  }

  /** An unconditional write of {@code value} with version {@code written}. */
  TraceRow write(long thread, String req, String key, long written, long value, long startUs, long endUs) {
    return row(EventKind.WRITE, Result.SUCCESS, thread, req, key, startUs, endUs).writtenVersion(written).value(value);
  }

  /** A conditional write expecting {@code expected}; SUCCESS writes {@code expected + 1}. */
  TraceRow cas(long thread, String req, String key, Result result, long expected, long value, long startUs,
      long endUs) {
    TraceRow r = row(EventKind.WRITE, result, thread, req, key, startUs, endUs).expectedVersion(expected).value(value);
    if (result == Result.SUCCESS) {
      r.writtenVersion(expected + 1);
    }
    return r;
  }

  /** Rows without version (a store with no version field): value only. */
  TraceRow readValue(long thread, String req, String key, long value, long startUs, long endUs) {
    return row(EventKind.READ, Result.SUCCESS, thread, req, key, startUs, endUs).value(value);
  }

  TraceRow writeValue(long thread, String req, String key, long value, long startUs, long endUs) {
    return row(EventKind.WRITE, Result.SUCCESS, thread, req, key, startUs, endUs).value(value);
  }

  /** A write that carries only the units it took (a relative update, a void debit): the probe's {@code amount:}. */
  TraceRow writeAmount(long thread, String req, String key, long amount, long startUs, long endUs) {
    return row(EventKind.WRITE, Result.SUCCESS, thread, req, key, startUs, endUs).amount(amount);
  }

  TraceRow fault(EventKind kind, Result result, long thread, String req, String key, String exception, long startUs,
      long endUs) {
    TraceRow r = row(kind, result, thread, req, key, startUs, endUs).detail(exception);
    r.flags |= TraceSchema.F_THROWN;
    return r;
  }

  /** Writes the queue and returns its directory. */
  public Path build() throws IOException {
    // As in a real capture: arrival rows come from an arrival probe, which the probe records name.
    if (rows.stream().anyMatch(r -> r.kind == EventKind.ARRIVAL) && probes.stream().noneMatch(p -> p.role().equals("arrival"))) {
      probes.add(new ProbeStatus(3, "arrival", "arrival", "com.acme.Api#submit", 1));
    }
    // ... and transaction boundaries from commit and rollback probes.
    if (rows.stream().anyMatch(r -> r.kind == EventKind.COMMIT || r.kind == EventKind.ROLLBACK)
        && probes.stream().noneMatch(p -> p.role().equals("commit"))) {
      probes.add(new ProbeStatus(4, "commit", "commit", "org.h2.jdbc.JdbcConnection#commit", 1));
      probes.add(new ProbeStatus(5, "rollback", "rollback", "org.h2.jdbc.JdbcConnection#rollback", 1));
    }
    List<TraceRow> byEnd = new ArrayList<>(rows);
    byEnd.sort(Comparator.comparingLong((TraceRow r) -> r.endNanos));
    for (TraceRow r : byEnd) {
      r.threadSeq = seq.merge(r.threadId, 1L, Long::sum);
    }
    List<TraceRow> out = new ArrayList<>(callOrder ? rows : byEnd);
    out.removeIf(r -> dropped.stream().anyMatch(d -> d == r));
    try (TraceQueueWriter w = TraceQueueWriter.open(dir, blockSize)) {
      w.header(new WorkerHeader(TraceSchema.VERSION, worker, 4242, "host-1", 0xCAFEL, "0.1.0-test", "17", probeSource,
          "worker=" + worker, WALL0, MONO0));
      for (ProbeStatus p : probes) {
        w.probe(p);
      }
      List<SamplingChange> pending = new ArrayList<>(sampling);
      pending.sort(Comparator.comparingLong(SamplingChange::monoNanos));
      TraceQueueWriter.RowBatch b = w.rows();
      for (TraceRow r : out) {
        if (!pending.isEmpty() && pending.get(0).monoNanos() <= r.endNanos) {
          b.close();
          while (!pending.isEmpty() && pending.get(0).monoNanos() <= r.endNanos) {
            w.sampling(pending.remove(0));
          }
          b = w.rows();
        }
        if (b.isFull()) {
          b.close();
          b = w.rows();
        }
        Integer bucket = r.key == null ? null : buckets.get(r.key);
        if (bucket != null) {
          r.keyBucket(bucket);
        }
        b.add(r);
      }
      b.close();
      for (SamplingChange sc : pending) {
        w.sampling(sc);
      }
      long n = out.size();
      CaptureCounters c = counters != null ? counters : new CaptureCounters(n, n, 0, 0, 0, 0, 0, 0);
      if (footer) {
        w.footer(c);
      } else if (counters != null) {
        w.counters(c);
      }
    }
    return dir;
  }
}
