package io.racetrace.synthetic;

import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceRow;
import io.racetrace.trace.TraceSchema;
import io.racetrace.trace.WorkerHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates a synthetic capture of a reservation service, with the ground truth of what happened,
 * for tests and the throughput benchmark.
 *
 * <p>Model: requests arrive at a fixed mean rate (exponential gaps) for keys drawn from a Zipf
 * distribution; a pool of worker threads serves them first come first served (so queue delay is
 * real); each request reads the key's quantity and version, then writes - blindly in {@code
 * UNSAFE} mode (quantity - 1, version + 1), or compare-and-set with bounded retries and
 * idempotent request ids in {@code CONDITIONAL} mode. A store is simulated event by event: a read
 * sees, and a write commits, at the end of its call. The truth (lost updates, duplicate
 * confirmations, conflicts, final inventory) is counted from that simulated store, not from the
 * rows. Injected extras: duplicate deliveries, storage timeouts, agent drops.
 *
 * <p>Rows go to {@code workers} queues (one per simulated JVM, each with its own monotonic clock
 * offset and wall anchor), each in end-time order, optionally jittered.
 *
 * <p>Memory: the requests in flight (rate x latency), not the number of rows.
 */
public final class SyntheticCapture {
  /** Parameters. {@code rows} is a target: generation stops at the first request past it. */
  public record Params(long rows, boolean conditional, int workers, int threadsPerWorker, int keys, double zipf,
      double requestsPerSecond, long inventory, double duplicateRate, double timeoutRate, long dropEvery,
      long jitterNanos, long seed) {
    public static Params defaults(long rows) {
      return new Params(rows, false, 1, 16, 1000, 1.1, 5000, 1_000_000_000L, 0.001, 0.0002, 0, 0, 42);
    }

    public Params withConditional(boolean c) {
      return new Params(rows, c, workers, threadsPerWorker, keys, zipf, requestsPerSecond, inventory, duplicateRate,
          timeoutRate, dropEvery, jitterNanos, seed);
    }

    public Params withWorkers(int w) {
      return new Params(rows, conditional, w, threadsPerWorker, keys, zipf, requestsPerSecond, inventory, duplicateRate,
          timeoutRate, dropEvery, jitterNanos, seed);
    }

    public Params withDropEvery(long n) {
      return new Params(rows, conditional, workers, threadsPerWorker, keys, zipf, requestsPerSecond, inventory,
          duplicateRate, timeoutRate, n, jitterNanos, seed);
    }

    public Params withJitter(long nanos) {
      return new Params(rows, conditional, workers, threadsPerWorker, keys, zipf, requestsPerSecond, inventory,
          duplicateRate, timeoutRate, dropEvery, nanos, seed);
    }

    public Params withLoad(int keys, double rps, long inventory) {
      return new Params(rows, conditional, workers, threadsPerWorker, keys, zipf, rps, inventory, duplicateRate,
          timeoutRate, dropEvery, jitterNanos, seed);
    }
  }

  /** What really happened in the simulated store. */
  public record Truth(long rowsWritten, long rowsDropped, long requests, long confirmationsWithWrite,
      long distinctConfirmed, long lostUpdates, long erasedUpdates, long duplicateConfirmations, long replays,
      long writeConflicts, long conflictResponses, long timeouts, long rejected, long initialInventory,
      long finalInventory, long invariantMismatch) {}

  static final int MAX_ATTEMPTS = 3;
  static final long WALL0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

  private final Params p;
  private final SplittableRandom rnd;
  private final double[] zipfCdf;
  private final long[] qty;
  private final long[] version;
  private final PriorityQueue<Ev> events = new PriorityQueue<>();
  private final int[] recentKeys = new int[64];
  private final List<Out> outs = new ArrayList<>();
  private long evSeq;
  private long rowsWritten;
  private long dropped;
  private long requests;
  private long confirmedWithWrite;
  private long lost;
  private long erased;
  private long dupConfirm;
  private long replays;
  private long writeConflicts;
  private long conflictResponses;
  private long timeouts;
  private long rejected;
  // Duplicates reuse one of the last 50 ids, so remembering the last 100,000 ids is exact.
  private final java.util.Set<String> confirmedIds = recentSet();
  /** Conditional mode: request ids whose idempotency record was committed with their write. */
  private final java.util.Set<String> committedIds = recentSet();

  private static java.util.Set<String> recentSet() {
    return java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> e) {
        return size() > 100_000;
      }
    });
  }

  private SyntheticCapture(Params p) {
    this.p = p;
    this.rnd = new SplittableRandom(p.seed());
    this.zipfCdf = new double[p.keys()];
    double sum = 0;
    for (int i = 0; i < p.keys(); i++) {
      sum += 1 / Math.pow(i + 1, p.zipf());
      zipfCdf[i] = sum;
    }
    for (int i = 0; i < p.keys(); i++) {
      zipfCdf[i] /= sum;
    }
    qty = new long[p.keys()];
    version = new long[p.keys()];
    java.util.Arrays.fill(qty, p.inventory());
    java.util.Arrays.fill(version, 1);
  }

  /** Writes the capture under {@code dir} (one subdirectory per worker) and returns the truth. */
  public static Truth generate(Path dir, Params p) throws IOException {
    return new SyntheticCapture(p).run(dir);
  }

  /** A request in flight. */
  private static final class Req {
    String id;
    int key;
    int worker;
    long thread;
    long arrival;
    long start;
    int attempt;
    long readQty;
    long readVersion;
    boolean duplicateOf;
    boolean wrote;
    Result outcome;
  }

  /** A scheduled call exit (the moment its row is emitted and its effect applies). */
  private record Ev(long end, long seq, EventKind kind, Req r, long start) implements Comparable<Ev> {
    @Override
    public int compareTo(Ev o) {
      return end != o.end ? Long.compare(end, o.end) : Long.compare(seq, o.seq);
    }
  }

  /** One worker's queue: writer, clock offset, thread pool, per-thread sequence numbers, jitter buffer. */
  private final class Out {
    final TraceQueueWriter w;
    final long monoOffset; // mono = simulated time - monoOffset; the anchor maps it to WALL0 + time
    final java.util.HashMap<Long, Long> seq = new java.util.HashMap<>();
    final java.util.ArrayDeque<Long> freeThreads = new java.util.ArrayDeque<>();
    final java.util.ArrayDeque<Req> waiting = new java.util.ArrayDeque<>();
    final PriorityQueue<Jittered> jitter = new PriorityQueue<>();
    final java.util.HashMap<Long, Long> lastRelease = new java.util.HashMap<>();
    TraceRow pendingRow;
    TraceQueueWriter.RowBatch batch;
    long offered;
    long droppedHere;

    Out(Path dir, int index) throws IOException {
      w = TraceQueueWriter.open(dir);
      monoOffset = -1_000_000_000_000L * (index + 1); // distinct monotonic clocks per JVM
      w.header(new WorkerHeader(TraceSchema.VERSION, "worker-" + index, 1000 + index, "synthetic", 0x5EED0000L + index,
          "synthetic", "synthetic", "synthetic-probes", "mode=" + (p.conditional() ? "conditional" : "unsafe"),
          WALL0, -monoOffset));
      w.probe(new ProbeStatus(0, "arrival", "arrival", "Http#accept", 1));
      w.probe(new ProbeStatus(1, "request", "request", "ReservationService#reserve", 1));
      w.probe(new ProbeStatus(2, "read", "read", "InventoryStore#read", 1));
      w.probe(new ProbeStatus(3, "write", "write", "InventoryStore#write", 1));
      for (int t = 0; t < p.threadsPerWorker(); t++) {
        freeThreads.add(100L + t);
      }
      batch = w.rows();
    }

    /** The agent's side: a row offered at exit gets its sequence number, and may be dropped. */
    void offer(TraceRow r) {
      offered++;
      r.threadSeq = seq.merge(r.threadId, 1L, Long::sum);
      if (p.dropEvery() > 0 && offered % p.dropEvery() == 0) {
        droppedHere++;
        dropped++;
        return;
      }
      if (p.jitterNanos() == 0) {
        write(r);
        return;
      }
      // Leaves the buffer at end + a random delay, so rows of different threads overtake each other
      // by up to jitterNanos; one thread's rows keep their order, as in the agent's ring.
      long at = Math.max(r.endNanos + (long) (rnd.nextDouble() * p.jitterNanos()),
          lastRelease.getOrDefault(r.threadId, Long.MIN_VALUE));
      lastRelease.put(r.threadId, at);
      jitter.add(new Jittered(at, evSeq++, r));
      while (!jitter.isEmpty() && jitter.peek().at() < r.endNanos) {
        write(jitter.poll().row());
      }
    }

    void write(TraceRow r) {
      if (batch.isFull()) {
        batch.close();
        batch = w.rows();
      }
      batch.add(r);
      rowsWritten++;
    }

    void close() {
      flush();
      while (!jitter.isEmpty()) {
        write(jitter.poll().row());
      }
      batch.close();
      w.footer(new CaptureCounters(offered, offered - droppedHere, droppedHere, 0, 0, 0, 0, 0));
      w.close();
    }

    /** Rows are completed by the caller after {@link #row} returns, so they are offered one call later. */
    void hold(TraceRow r) {
      flush();
      pendingRow = r;
    }

    void flush() {
      if (pendingRow != null) {
        TraceRow r = pendingRow;
        pendingRow = null;
        offer(r);
      }
    }
  }

  private record Jittered(long at, long seq, TraceRow row) implements Comparable<Jittered> {
    @Override
    public int compareTo(Jittered o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  private Truth run(Path dir) throws IOException {
    for (int i = 0; i < p.workers(); i++) {
      outs.add(new Out(dir.resolve("worker-" + i), i));
    }
    long now = 0;
    long n = 0;
    double meanGap = 1e9 / p.requestsPerSecond();
    while (rowsWritten + dropped < p.rows()) {
      now += (long) (-Math.log(1 - rnd.nextDouble()) * meanGap) + 1;
      drainUntil(now); // the store evolves in time order
      Req r = new Req();
      boolean dup = n > 10 && rnd.nextDouble() < p.duplicateRate();
      long idNum = dup ? n - 1 - rnd.nextInt((int) Math.min(n - 1, 50)) : n;
      n++;
      r.id = "req-" + idNum;
      r.duplicateOf = dup;
      r.key = dup ? recentKeys[(int) (idNum % recentKeys.length)] : key();
      recentKeys[(int) (idNum % recentKeys.length)] = r.key; // a redelivery is for the same key
      r.worker = (int) (idNum % p.workers()); // a redelivery reaches the same worker
      r.arrival = now;
      requests++;
      row(r, EventKind.ARRIVAL, Result.NONE, now, now);
      Out o = outs.get(r.worker);
      if (o.freeThreads.isEmpty()) {
        o.waiting.add(r);
      } else {
        start(r, o.freeThreads.poll(), now);
      }
    }
    drainUntil(Long.MAX_VALUE);
    for (Out o : outs) {
      o.close();
    }
    long initial = p.inventory() * p.keys();
    long fin = 0;
    for (long q : qty) {
      fin += q;
    }
    long distinct = confirmedWithWrite - dupConfirm;
    long mismatch = distinct - (initial - fin);
    return new Truth(rowsWritten, dropped, requests, confirmedWithWrite, distinct, lost, erased, dupConfirm, replays,
        writeConflicts, conflictResponses, timeouts, rejected, initial, fin, mismatch);
  }

  /** A worker thread takes the request: 20 us hand-off, then the first attempt. */
  private void start(Req r, long thread, long now) {
    r.thread = thread;
    r.start = now + 20_000;
    r.attempt = 1;
    scheduleAttempt(r, r.start + 50_000);
  }

  /** The request's thread is free again: it takes the next waiting request, if any. */
  private void finished(Req r, long now) {
    Out o = outs.get(r.worker);
    Req next = o.waiting.poll();
    if (next != null) {
      start(next, r.thread, now);
    } else {
      o.freeThreads.add(r.thread);
    }
  }

  private int key() {
    double u = rnd.nextDouble();
    int lo = 0;
    int hi = zipfCdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (zipfCdf[mid] < u) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private void scheduleAttempt(Req r, long at) {
    long readEnd = at + 100_000 + (long) (rnd.nextDouble() * 400_000);
    schedule(readEnd, EventKind.READ, r, at);
  }

  private void schedule(long end, EventKind kind, Req r, long start) {
    events.add(new Ev(end, evSeq++, kind, r, start));
  }

  private void drainUntil(long t) {
    while (!events.isEmpty() && events.peek().end() < t) {
      apply(events.poll());
    }
  }

  private void apply(Ev e) {
    Req r = e.r();
    switch (e.kind()) {
      case READ -> {
        if (p.conditional() && r.duplicateOf && committedIds.contains(r.id)) {
          // Idempotent replay: answered from the stored outcome, no read-modify-write.
          replays++;
          r.outcome = Result.SUCCESS;
          schedule(e.start() + 80_000, EventKind.REQUEST, r, r.start);
          return;
        }
        r.readQty = qty[r.key];
        r.readVersion = version[r.key];
        TraceRow row = row(r, EventKind.READ, Result.SUCCESS, e.start(), e.end());
        row.readVersion(r.readVersion).value(r.readQty);
        if (r.readQty <= 0) {
          r.outcome = Result.REJECTED;
          schedule(e.end() + 50_000, EventKind.REQUEST, r, r.start);
          return;
        }
        long ws = e.end() + 50_000 + (long) (rnd.nextDouble() * 300_000);
        long we = ws + 100_000 + (long) (rnd.nextDouble() * 500_000);
        schedule(we, EventKind.WRITE, r, ws);
      }
      case WRITE -> write(e, r);
      case REQUEST -> {
        TraceRow row = row(r, EventKind.REQUEST, r.outcome, r.start, e.end());
        row.attempt = r.attempt;
        if (r.outcome == Result.TIMEOUT) {
          row.flags |= TraceSchema.F_THROWN;
          row.detail("java.sql.SQLTimeoutException");
        }
        if (r.outcome == Result.SUCCESS && r.wrote) {
          confirmedWithWrite++;
          if (!confirmedIds.add(r.id)) {
            dupConfirm++;
          }
        } else if (r.outcome == Result.CONFLICT) {
          conflictResponses++;
        } else if (r.outcome == Result.REJECTED) {
          rejected++;
        }
        finished(r, e.end());
      }
      default -> { }
    }
  }

  private void write(Ev e, Req r) {
    if (rnd.nextDouble() < p.timeoutRate()) {
      timeouts++;
      TraceRow row = row(r, EventKind.WRITE, Result.TIMEOUT, e.start(), e.end());
      row.flags |= TraceSchema.F_THROWN;
      row.detail("java.sql.SQLTimeoutException");
      row.value(r.readQty - 1);
      if (p.conditional()) {
        row.expectedVersion(r.readVersion);
      }
      r.outcome = Result.TIMEOUT;
      schedule(e.end() + 30_000, EventKind.REQUEST, r, r.start);
      return;
    }
    if (!p.conditional()) {
      if (version[r.key] != r.readVersion) {
        lost++;
        erased += version[r.key] - r.readVersion;
      }
      qty[r.key] = r.readQty - 1;
      version[r.key] = r.readVersion + 1;
      row(r, EventKind.WRITE, Result.SUCCESS, e.start(), e.end()).writtenVersion(r.readVersion + 1)
          .value(r.readQty - 1);
      r.wrote = true;
      r.outcome = Result.SUCCESS;
      schedule(e.end() + 40_000, EventKind.REQUEST, r, r.start);
      return;
    }
    if (version[r.key] == r.readVersion && !committedIds.contains(r.id)) {
      committedIds.add(r.id);
      qty[r.key] = r.readQty - 1;
      version[r.key] = r.readVersion + 1;
      row(r, EventKind.WRITE, Result.SUCCESS, e.start(), e.end()).expectedVersion(r.readVersion)
          .writtenVersion(r.readVersion + 1).value(r.readQty - 1);
      r.wrote = true;
      r.outcome = Result.SUCCESS;
      schedule(e.end() + 40_000, EventKind.REQUEST, r, r.start);
      return;
    }
    writeConflicts++;
    row(r, EventKind.WRITE, Result.CONFLICT, e.start(), e.end()).expectedVersion(r.readVersion)
        .value(r.readQty - 1);
    if (r.attempt < MAX_ATTEMPTS) {
      r.attempt++;
      long backoff = 50_000 + (long) (rnd.nextDouble() * 200_000 * r.attempt); // jittered
      scheduleAttempt(r, e.end() + backoff);
    } else {
      r.outcome = Result.CONFLICT;
      schedule(e.end() + 40_000, EventKind.REQUEST, r, r.start);
    }
  }

  private TraceRow row(Req r, EventKind kind, Result result, long start, long end) {
    Out o = outs.get(r.worker);
    TraceRow row = new TraceRow();
    row.kind = kind;
    row.result = result;
    row.probeId = switch (kind) {
      case ARRIVAL -> 0;
      case REQUEST -> 1;
      case READ -> 2;
      case WRITE -> 3;
      case COMMIT, ROLLBACK -> throw new IllegalArgumentException("synthetic captures have no transaction rows: " + kind);
    };
    row.threadId = kind == EventKind.ARRIVAL ? 7 : r.thread;
    row.attempt = kind == EventKind.ARRIVAL ? 0 : r.attempt;
    row.startNanos = start - o.monoOffset;
    row.endNanos = end - o.monoOffset;
    row.requestId(r.id).key("sku-" + r.key);
    o.hold(row);
    return row;
  }
}
