package io.racetrace.agent.core.capture;

import static io.racetrace.trace.TraceSchema.*;

import io.racetrace.agent.bootstrap.ProbeSink;
import io.racetrace.agent.bootstrap.ThreadContext;
import io.racetrace.agent.core.AgentLog;
import io.racetrace.agent.core.extract.Extractor;
import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.agent.core.probe.Reproduce;
import io.racetrace.agent.core.probe.Role;
import io.racetrace.agent.core.weave.ProbeId;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.RowEncoder;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns probed calls into trace rows. Runs on application threads, inside the application's
 * methods.
 *
 * <p>Concurrency: no lock and no shared mutable state but the {@link ByteRing}'s claim counter;
 * per-thread request state lives in the bootstrap {@link ThreadContext}. A full ring drops the
 * row and counts it; nothing here waits, except the opt-in reproduction rendezvous and delay.
 *
 * <p>Failure handling: every entry point catches {@link Throwable}. An application getter that
 * throws while a value is extracted leaves that field absent and is counted in
 * {@code extractorErrors}; the application's own call is never affected. Nested request probes,
 * and calls made by the agent itself (a probed getter used by an extractor), emit nothing.
 *
 * <p>Allocation: none per call on the row path (each thread's row buffer is allocated once, and
 * again for a row with longer strings than it holds). Primitive arguments and return values arrive
 * unboxed (a write's amount from a primitive argument included); only a primitive used as a key or
 * request id is boxed.
 *
 * <p>Cost: one clock reading per read, write or arrival (at exit; two with {@code
 * callTiming=full}), two per request. With an overhead budget, a {@link KeySampler} decides per
 * request (by the request's key) or per call outside requests (by its own key) whether the event
 * is captured; events not captured are counted in {@code droppedSampled} and take no thread
 * sequence number, so they leave no gap that would read as loss.
 *
 * <p>JDK proxies: a method woven into a JDK dynamic proxy carries {@link ProbeId#PROXY} in its
 * probe id. The call the application made on the proxy is the one captured: calls of the same
 * probe nested in it on the same thread (the proxy's handler forwarding to a woven implementation,
 * such as Spring Data's {@code SimpleJpaRepository} behind a repository proxy, or to another proxy)
 * emit nothing. The proxy's call is what the caller passed and got back, with the time it waited;
 * whether the handler forwards at all, and to what, is unknown when the classes are woven, so the
 * rule is kept per thread at run time ({@link ThreadContext#proxyDepth}), as OpenTelemetry's
 * {@code CallDepth} is. Calls of other probes nested in a proxy call are captured as usual.
 */
public final class CaptureSink implements ProbeSink {
  private static final long ABSENT = Long.MIN_VALUE;
  private static final long NOT_TRACKED = 0L;
  /** Token of a call whose entry time is not taken; any non-zero value but a clock reading. */
  private static final long TRACKED = 1L;
  /** {@link #ownBucket}: the row's key is left out by sampling. */
  private static final int SAMPLED_OUT = -2;
  /** Rows are encoded into a per-thread buffer of at least this many bytes, then copied into the ring. */
  private static final int ROW_BUFFER = 512;
  /** Bytes of ring per row of the {@code ring=} option. */
  static final int BYTES_PER_ROW = 128;

  private final ProbeRuntime[] probes;
  private final ByteRing ring;
  /** A row too long for the ring has been reported. */
  private final java.util.concurrent.atomic.AtomicBoolean tooLongSaid = new java.util.concurrent.atomic.AtomicBoolean();
  private final CaptureStats stats;
  private final String reproduceKey;
  private final Rendezvous rendezvous;
  private final long delayAfterReadNanos;
  private final boolean callEntryTime;
  /** Null unless the agent has an overhead budget. */
  private final KeySampler sampler;
  /** This capture's number in the JVM: a thread context last used by another capture is reset. */
  private final int generation = ThreadContext.nextCapture();
  /** The {@link ProbeId#EPOCH} bits woven into this capture's probe ids (1 to 1023, never 0). */
  private final int epoch = (Integer.remainderUnsigned(generation, ProbeId.EPOCH >>> ProbeId.EPOCH_SHIFT) + 1)
      << ProbeId.EPOCH_SHIFT;
  /** Names of the threads that produced rows, by thread id, for the writer's thread records. */
  private final ConcurrentHashMap<Long, String> threadNames = new ConcurrentHashMap<>();

  public CaptureSink(List<ProbeSpec> specs, Reproduce reproduce, int ringCapacity, CaptureStats stats) {
    this(specs, reproduce, ringCapacity, stats, false, 0);
  }

  /**
   * @param sampleFloor with an overhead budget, the lowest sampling level (1..65536); 0 without a
   *     budget: every key is captured and rows carry no bucket
   */
  public CaptureSink(List<ProbeSpec> specs, Reproduce reproduce, int ringCapacity, CaptureStats stats,
      boolean callEntryTime, int sampleFloor) {
    if (specs.size() > ProbeId.INDEX + 1) {
      throw new IllegalArgumentException(specs.size() + " probes: at most " + (ProbeId.INDEX + 1));
    }
    this.probes = new ProbeRuntime[specs.size()];
    Extractor.Problems problems = msg -> AgentLog.warn("extractor: " + msg);
    for (int i = 0; i < probes.length; i++) {
      probes[i] = new ProbeRuntime(i, specs.get(i), problems);
    }
    this.ring = new ByteRing(ringBytes(ringCapacity));
    this.stats = stats;
    this.reproduceKey = reproduce == null ? null : reproduce.key();
    this.rendezvous = reproduce != null && reproduce.rendezvous()
        ? new Rendezvous(reproduce.parties(), reproduce.timeout().toNanos()) : null;
    this.delayAfterReadNanos = reproduce == null ? 0 : reproduce.delayAfterRead().toNanos();
    this.callEntryTime = callEntryTime;
    this.sampler = sampleFloor > 0 ? new KeySampler(sampleFloor) : null;
  }

  /** The id to weave for probe {@code index}: the index with this capture's epoch. */
  public int probeId(int index) {
    return index | epoch;
  }

  /** The call comes from code an earlier capture wove (a frame still running it): not this capture's. */
  private boolean foreign(int probeId) {
    return (probeId & ProbeId.EPOCH) != epoch;
  }

  /**
   * The ring's bytes for {@code ring=} rows (a power of two, at most {@code 2^23}, as the agent's
   * options check): {@link #BYTES_PER_ROW} each; a row with a UUID request id takes 90 to 100.
   */
  public static int ringBytes(int rows) {
    if (Integer.bitCount(rows) != 1 || rows > 1 << 23) {
      throw new IllegalArgumentException("ring must be a power of two of at most 2^23 rows: " + rows);
    }
    return Math.max(64, rows * BYTES_PER_ROW);
  }

  ByteRing ring() {
    return ring;
  }

  KeySampler sampler() {
    return sampler;
  }

  /** The thread's name as it was when the thread first produced a row in this capture. */
  String threadName(long threadId) {
    String n = threadNames.get(threadId);
    return n == null ? "thread-" + threadId : n;
  }

  @Override
  public long enterRequest(int probeId, int mask, Object idRef, long idBits, Object keyRef, long keyBits) {
    if (foreign(probeId)) {
      return NOT_TRACKED;
    }
    probeId &= ProbeId.INDEX; // nested request probes emit once already (requestDepth)
    ThreadContext c = null;
    boolean owned = false; // this call set c.busy: a nested call of the agent's own must not clear it
    try {
      c = context();
      if (c.busy || c.requestDepth++ > 0) {
        return NOT_TRACKED;
      }
      ProbeRuntime p = probes[probeId];
      c.busy = owned = true;
      Object id = p.requestId == null ? null : object(p.requestId, idRef, idBits, (mask & 1) != 0, null);
      Object key = p.key == null ? null : object(p.key, keyRef, keyBits, (mask & 2) != 0, null);
      long now = System.nanoTime();
      // The request's id and key are kept as strings: nothing of the application's outlives this call.
      String keyText = text(key);
      if (sampler != null) {
        c.keyBucket = KeySampler.bucket(key == Extractor.ABSENT ? null : key, keyText);
        c.sampledOut = c.keyBucket >= 0 && !sampler.keeps(c.keyBucket);
      }
      c.beginRequest(text(id), keyText);
      return now == NOT_TRACKED ? 1 : now;
    } catch (Throwable t) {
      adviceError(t);
      return NOT_TRACKED;
    } finally {
      if (owned) {
        c.busy = false;
      }
    }
  }

  @Override
  public void exitRequest(int probeId, long token, int mask, Object resultRef, long resultBits, Throwable thrown) {
    if (foreign(probeId)) {
      return;
    }
    probeId &= ProbeId.INDEX;
    ThreadContext c = null;
    try {
      c = context();
      if (c.busy) {
        return;
      }
      if (token == NOT_TRACKED) {
        if (c.requestDepth > 0) {
          c.requestDepth--;
        }
        return;
      }
      if (c.sampledOut) {
        stats.droppedSampled.increment();
        return;
      }
      long end = System.nanoTime();
      ProbeRuntime p = probes[probeId];
      // Everything taken from the application is converted before the row is encoded.
      c.busy = true;
      Result result = requestResult(p, resultRef, resultBits, (mask & 1) != 0, thrown);
      String detail = detail(thrown);
      c.busy = false;

      write(c, EventKind.REQUEST, p, token, end, c.attempt, 0, 0, 0, 0, 0, 0, result, c.keyBucket, detail, c.requestId,
          c.key);
    } catch (Throwable t) {
      adviceError(t);
    } finally {
      if (c != null && token != NOT_TRACKED && (c.busy || c.requestDepth > 0)) {
        c.busy = false;
        c.requestDepth = 0;
        c.endRequest();
      }
    }
  }

  /** The request's outcome; a mapping that fails in application code (a throwing toString) gives NONE and is counted. */
  private Result requestResult(ProbeRuntime p, Object ref, long bits, boolean primitive, Throwable thrown) {
    try {
      if (thrown != null) {
        return p.result.ofThrown(thrown);
      }
      if (p.resultFrom.isPrimitive(primitive)) {
        return p.result.ofBits(p.resultFrom.bits(bits));
      }
      Object v = object(p.resultFrom, ref, bits, primitive, null);
      return p.result.ofValue(v == Extractor.ABSENT ? null : v);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return Result.NONE;
    }
  }

  @Override
  public void adviceError(Throwable t) {
    if (stats.adviceErrors.incrementAndGet() == 1) {
      AgentLog.error("woven code failed (first of possibly more, all counted in the capture): " + t);
    }
  }

  @Override
  public long enterCall(int probeId) {
    if (foreign(probeId)) {
      return NOT_TRACKED;
    }
    if ((probeId & ProbeId.PROXY) != 0 && !enterProxy(probeId & ProbeId.INDEX)) {
      return NOT_TRACKED;
    }
    if (!callEntryTime) {
      return TRACKED;
    }
    long now = System.nanoTime();
    return now == NOT_TRACKED ? 1 : now;
  }

  /** A call of a proxy's woven method begins; false if it could not be counted (then it is not tracked). */
  private boolean enterProxy(int probeId) {
    try {
      ThreadContext c = context();
      int[] depth = c.proxyDepth;
      if (depth == null) {
        c.proxyDepth = depth = new int[probes.length];
      }
      depth[probeId]++;
      return true;
    } catch (Throwable t) {
      adviceError(t);
      return false;
    }
  }

  /**
   * At the exit of a tracked call: leaves it if it is a proxy's, and says whether it is nested in
   * a call of the same probe on a proxy, whose row stands for it. Runs before any other check, so
   * every proxy call that was counted in is counted out.
   */
  private static boolean nestedInProxy(ThreadContext c, int probeId) {
    int[] depth = c.proxyDepth;
    if (depth == null) {
      return false;
    }
    int id = probeId & ProbeId.INDEX;
    if ((probeId & ProbeId.PROXY) != 0 && depth[id] > 0) {
      depth[id]--;
    }
    return depth[id] > 0;
  }

  @Override
  public void exitAttempt(int probeId, long token) {
    try {
      ThreadContext c = context();
      if (token == NOT_TRACKED || foreign(probeId) || nestedInProxy(c, probeId) || c.busy || c.requestDepth == 0) {
        return;
      }
      if (c.sampledOut) {
        stats.droppedSampled.increment(); // the whole request is left out, by its key
        return;
      }
      newAttemptIfWritten(c);
    } catch (Throwable t) {
      adviceError(t);
    }
  }

  /** A read or attempt after a write in the same request starts a new read-modify-write attempt. */
  private static void newAttemptIfWritten(ThreadContext c) {
    if (c.wroteSinceRead) {
      c.attempt++;
      c.wroteSinceRead = false;
    }
  }

  @Override
  public void exitArrival(int probeId, long token, int mask, Object idRef, long idBits, Object keyRef, long keyBits,
      Throwable thrown) {
    ThreadContext c = null;
    boolean owned = false; // this call set c.busy: a nested call of the agent's own must not clear it
    try {
      c = context();
      if (token == NOT_TRACKED || foreign(probeId) || nestedInProxy(c, probeId) || c.busy) {
        return;
      }
      ProbeRuntime p = probes[probeId & ProbeId.INDEX];
      boolean inRequest = c.requestDepth > 0;
      if (inRequest && c.sampledOut) {
        stats.droppedSampled.increment();
        return;
      }
      long end = System.nanoTime();
      c.busy = owned = true;
      Object keyObject = p.key != null ? object(p.key, keyRef, keyBits, (mask & 2) != 0, thrown) : null;
      String key = p.key != null ? text(keyObject) : null;
      int bucket = ownBucket(keyObject, key);
      if (bucket == SAMPLED_OUT) {
        return;
      }
      String requestId = text(object(p.requestId, idRef, idBits, (mask & 1) != 0, thrown));
      String detail = detail(thrown);
      c.busy = false;
      emit(p, c, token, end, callEntryTime ? 0 : F_UNTIMED, 0, 0, 0, 0, 0, Result.NONE, bucket, detail, requestId, key);
    } catch (Throwable t) {
      adviceError(t);
    } finally {
      if (owned) {
        c.busy = false;
      }
    }
  }

  @Override
  public void exitRead(int probeId, long token, int mask, Object keyRef, long keyBits, Object versionRef,
      long versionBits, Object valueRef, long valueBits, Throwable thrown) {
    ThreadContext c = null;
    boolean owned = false; // this call set c.busy: a nested call of the agent's own must not clear it
    try {
      c = context();
      if (token == NOT_TRACKED || foreign(probeId) || nestedInProxy(c, probeId) || c.busy) {
        return;
      }
      ProbeRuntime p = probes[probeId & ProbeId.INDEX];
      boolean inRequest = c.requestDepth > 0;
      if (inRequest) {
        if (c.sampledOut) {
          stats.droppedSampled.increment(); // the whole request is left out, by its key
          return;
        }
      }
      long end = System.nanoTime();
      // 1. Everything taken from the application (extractors, toString, exception classes) is
      // converted into agent-owned values here, before the row is encoded: a throw in application
      // code can only leave a field absent, never a claimed record unpublished.
      c.busy = owned = true;
      Object keyObject = p.key != null ? object(p.key, keyRef, keyBits, (mask & 1) != 0, thrown) : null;
      if (keyObject == Extractor.NOT_ENTITY || p.entityKey && keyObject == Extractor.ABSENT) {
        return; // no entity the probe file names (a pack's load of another class, a query without a result)
      }
      if (inRequest) {
        newAttemptIfWritten(c);
      }
      String key = p.key != null ? text(keyObject) : c.key;
      int bucket = inRequest ? c.keyBucket : ownBucket(keyObject, key);
      if (bucket == SAMPLED_OUT) {
        return;
      }
      int flags = (callEntryTime ? 0 : F_UNTIMED) | (inRequest ? 0 : F_NO_REQUEST);
      long version = 0;
      long value = 0;
      long v;
      if (p.version != null && (v = number(p.version, versionRef, versionBits, (mask & 2) != 0, thrown, c)) != ABSENT) {
        version = v;
        flags |= F_READ_VERSION;
      }
      if (p.value != null && (v = number(p.value, valueRef, valueBits, (mask & 4) != 0, thrown, c)) != ABSENT) {
        value = v;
        flags |= F_VALUE | (c.hashed ? F_VALUE_HASHED : 0);
      }
      boolean inject = (reproduceKey != null || delayAfterReadNanos > 0) && shouldInject(key, c);
      if (inject) {
        flags |= F_INJECTED;
      }
      String detail = detail(thrown);
      c.busy = false;
      // 2. Encode, claim, copy, commit: agent-owned values only, nothing in between can throw.
      emit(p, c, token, end, flags, version, 0, 0, value, 0, Result.NONE, bucket, detail, inRequest ? c.requestId : null,
          key);
      if (inject) {
        inject();
      }
    } catch (Throwable t) {
      adviceError(t);
    } finally {
      if (owned) {
        c.busy = false;
      }
    }
  }

  @Override
  public void exitWrite(int probeId, long token, int mask, Object keyRef, long keyBits, Object expectedRef,
      long expectedBits, Object writtenRef, long writtenBits, Object valueRef, long valueBits, Object successRef,
      long successBits, Object amountRef, long amountBits, Throwable thrown) {
    ThreadContext c = null;
    boolean owned = false; // this call set c.busy: a nested call of the agent's own must not clear it
    try {
      c = context();
      if (token == NOT_TRACKED || foreign(probeId) || nestedInProxy(c, probeId) || c.busy) {
        return;
      }
      ProbeRuntime p = probes[probeId & ProbeId.INDEX];
      boolean inRequest = c.requestDepth > 0;
      if (inRequest && c.sampledOut) {
        stats.droppedSampled.increment();
        return;
      }
      long end = System.nanoTime();
      c.busy = owned = true; // as in exitRead: convert first, then claim and publish
      Object keyObject = p.key != null ? object(p.key, keyRef, keyBits, (mask & 1) != 0, thrown) : null;
      if (keyObject == Extractor.NOT_ENTITY || p.entityKey && keyObject == Extractor.ABSENT) {
        return; // no entity the probe file names (a pack's flush of another class, a query without a result)
      }
      c.wroteSinceRead = true;
      String key = p.key != null ? text(keyObject) : c.key;
      int bucket = inRequest ? c.keyBucket : ownBucket(keyObject, key);
      if (bucket == SAMPLED_OUT) {
        return;
      }
      int flags = (callEntryTime ? 0 : F_UNTIMED) | (inRequest ? 0 : F_NO_REQUEST);
      long expected = 0;
      long written = 0;
      long value = 0;
      long v;
      if (p.expectedVersion != null
          && (v = number(p.expectedVersion, expectedRef, expectedBits, (mask & 2) != 0, thrown, c)) != ABSENT) {
        expected = v;
        flags |= F_EXPECTED_VERSION;
      }
      if (p.writtenVersion != null
          && (v = number(p.writtenVersion, writtenRef, writtenBits, (mask & 4) != 0, thrown, c)) != ABSENT) {
        written = v;
        flags |= F_WRITTEN_VERSION;
      }
      if (p.value != null && (v = number(p.value, valueRef, valueBits, (mask & 8) != 0, thrown, c)) != ABSENT) {
        value = v;
        flags |= F_VALUE | (c.hashed ? F_VALUE_HASHED : 0);
      }
      long amount = 0;
      if (p.amount != null && (v = amount(p, amountRef, amountBits, (mask & 32) != 0, thrown, c)) != ABSENT) {
        amount = v;
        flags |= F_AMOUNT;
      }
      Result result = writeResult(p, successRef, successBits, (mask & 16) != 0, thrown);
      String detail = detail(thrown);
      c.busy = false;
      emit(p, c, token, end, flags, 0, expected, written, value, amount, result, bucket, detail,
          inRequest ? c.requestId : null, key);
    } catch (Throwable t) {
      adviceError(t);
    } finally {
      if (owned) {
        c.busy = false;
      }
    }
  }

  /**
   * The thread's transaction ended: a row of the probe's kind (COMMIT or ROLLBACK) carrying the
   * enclosing request's id, key and attempt, or {@code F_NO_REQUEST} outside one; SUCCESS if the
   * call returned, else what {@code result.thrown} maps its exception to. Nothing of the
   * application is read but the exception's class. A boundary outside a request has no key to be
   * sampled by and is always kept: committing writes that sampling left out commits nothing the
   * analysis holds.
   */
  @Override
  public void exitTransaction(int probeId, long token, Throwable thrown) {
    try {
      ThreadContext c = context();
      if (token == NOT_TRACKED || foreign(probeId) || nestedInProxy(c, probeId) || c.busy) {
        return;
      }
      ProbeRuntime p = probes[probeId & ProbeId.INDEX];
      boolean inRequest = c.requestDepth > 0;
      if (inRequest && c.sampledOut) {
        stats.droppedSampled.increment(); // the whole request is left out, by its key
        return;
      }
      long end = System.nanoTime();
      Result result = thrown == null ? Result.SUCCESS : p.result.ofThrown(thrown);
      int flags = (callEntryTime ? 0 : F_UNTIMED) | (inRequest ? 0 : F_NO_REQUEST);
      emit(p, c, token, end, flags, 0, 0, 0, 0, 0, result, inRequest ? c.keyBucket : -1, detail(thrown),
          inRequest ? c.requestId : null, inRequest ? c.key : null);
    } catch (Throwable t) {
      adviceError(t);
    }
  }

  /**
   * The sampling bucket of a row outside a request, by its own key: -1 without a budget or key,
   * or {@link #SAMPLED_OUT} (counted) when its key is left out. Rows inside a request follow the
   * request's decision at entry: a request is kept or left out whole, so a cut that lands while it
   * runs does not take the rest of its reads and writes away.
   */
  private int ownBucket(Object keyObject, String key) {
    if (sampler == null) {
      return -1;
    }
    int bucket = KeySampler.bucket(keyObject == Extractor.ABSENT ? null : keyObject, key);
    if (bucket >= 0 && !sampler.keeps(bucket)) {
      stats.droppedSampled.increment();
      return SAMPLED_OUT;
    }
    return bucket;
  }

  /** A read, write, arrival or transaction boundary: its row, with the thread's request state. */
  private void emit(ProbeRuntime p, ThreadContext c, long token, long end, int flags, long readVersion,
      long expectedVersion, long writtenVersion, long value, long amount, Result result, int bucket, String detail,
      String requestId, String key) {
    int attempt = p.role == Role.ARRIVAL || c.requestDepth == 0 ? 0 : c.attempt;
    write(c, p.kind, p, callEntryTime ? token : end, end, attempt, flags, readVersion, expectedVersion, writtenVersion,
        value, amount, result, bucket, detail, requestId, key);
  }

  /**
   * Encodes the row, from agent-owned values only, into the thread's own buffer, then claims its
   * bytes in the ring, copies them and commits: nothing between claim and commit can throw, so no
   * claimed record is left unpublished. The row counts in the thread's sequence whether or not it
   * is dropped.
   */
  private void write(ThreadContext c, EventKind kind, ProbeRuntime p, long start, long end, int attempt, int flags,
      long readVersion, long expectedVersion, long writtenVersion, long value, long amount, Result result, int bucket,
      String detail, String requestId, String key) {
    c.seq++;
    if (bucket >= 0) {
      flags |= F_KEY_BUCKET;
    }
    if (detail != null) {
      flags |= F_THROWN | F_DETAIL;
    }
    if (requestId != null) {
      flags |= F_REQUEST_ID;
    }
    if (key != null) {
      flags |= F_KEY;
    }
    long threadId = Thread.currentThread().getId();
    byte[] b = c.rowBuffer;
    int n = b == null ? RowEncoder.NO_ROOM
        : RowEncoder.row(b, 0, kind.code, result.code, flags, p.id, threadId, c.seq, attempt, start, end, readVersion,
            expectedVersion, writtenVersion, value, requestId, key, detail, bucket, amount);
    if (n == RowEncoder.NO_ROOM) { // the thread's first row, or one with longer strings than before
      c.rowBuffer = b = new byte[Math.max(ROW_BUFFER, RowEncoder.maxLength(requestId, key, detail))];
      n = RowEncoder.row(b, 0, kind.code, result.code, flags, p.id, threadId, c.seq, attempt, start, end, readVersion,
          expectedVersion, writtenVersion, value, requestId, key, detail, bucket, amount);
    }
    int at = ring.claim(n);
    if (at == ByteRing.FULL) {
      stats.droppedRingFull.incrementAndGet();
      if (n > ring.maxRowLength() && tooLongSaid.compareAndSet(false, true)) {
        AgentLog.warn("a row of " + n + " bytes (its request id, key or exception name) is longer than the ring"
            + " takes (" + ring.maxRowLength() + "); such rows are dropped and counted; a larger ring= takes them");
      }
      return;
    }
    ring.commit(at, b, n);
    measure(c, end);
  }

  /** A write's outcome: from what it threw, its {@code success} path, or success for a normal return. */
  private Result writeResult(ProbeRuntime p, Object ref, long bits, boolean primitive, Throwable thrown) {
    try {
      if (thrown != null) {
        return p.result.ofThrown(thrown);
      }
      if (p.success == null) {
        return Result.SUCCESS;
      }
      if (p.success.isPrimitive(primitive)) {
        return p.success.bits(bits) > 0 ? Result.SUCCESS : Result.CONFLICT; // true, or rows updated
      }
      return succeeded(object(p.success, ref, bits, primitive, null)) ? Result.SUCCESS : Result.CONFLICT;
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return Result.NONE;
    }
  }

  /**
   * An application value as an agent-owned string: a string as it is, anything else by {@code
   * String.valueOf}; a {@code toString} that throws gives absent (null) and is counted.
   */
  private String text(Object o) {
    if (o == null || o == Extractor.ABSENT) {
      return null;
    }
    if (o instanceof String) {
      return (String) o;
    }
    try {
      return String.valueOf(o);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return null;
    }
  }

  /**
   * The thread's context, taken over by this capture on its first call here: a thread that was
   * inside a request when an earlier capture was detached never ran that request's exit, so its
   * request state is reset, and the thread is named once for this capture.
   */
  private ThreadContext context() {
    ThreadContext c = ThreadContext.current();
    if (c.generation != generation) {
      c.busy = false;
      c.requestDepth = 0;
      c.proxyDepth = null;
      c.endRequest();
      Thread t = Thread.currentThread();
      threadNames.put(t.getId(), t.getName());
      c.generation = generation;
    }
    return c;
  }

  /**
   * With a budget, times one row in 64 per thread from its exit clock reading to now: the
   * governor's sample of what the agent costs application threads.
   */
  private void measure(ThreadContext c, long end) {
    if (sampler != null && (c.seq & 63) == 0) {
      stats.keptNanos.add(System.nanoTime() - end);
      stats.keptMeasured.increment();
    }
  }

  /** The exception's class name, taken before the row is written; null without one. */
  private static String detail(Throwable thrown) {
    return thrown == null ? null : thrown.getClass().getName();
  }

  /** Boolean true, a positive number (rows updated), or any other non-null value counts as success. */
  private static boolean succeeded(Object ok) {
    if (ok == null || ok == Extractor.ABSENT) {
      return false;
    }
    if (ok instanceof Boolean) {
      return (Boolean) ok;
    }
    if (ok instanceof Number) {
      return ((Number) ok).longValue() > 0;
    }
    return true;
  }

  private Object object(Extractor e, Object ref, long bits, boolean primitive, Throwable thrown) {
    try {
      return e.asObject(ref, bits, primitive, thrown);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return Extractor.ABSENT;
    }
  }

  private long number(Extractor e, Object ref, long bits, boolean primitive, Throwable thrown, ThreadContext c) {
    c.hashed = false; // set by the extractor only when it hashes: never left over from an earlier value
    try {
      return e.asLong(ref, bits, primitive, thrown, ABSENT, c);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return ABSENT;
    }
  }

  /**
   * A write's amount, or {@link #ABSENT}: a value that is not a number (a string or an object the
   * weave-time check could not rule out, whose hash code the extractor would give) is no number of
   * units, so it is left out, said once per probe, rather than added up as one.
   */
  private long amount(ProbeRuntime p, Object ref, long bits, boolean primitive, Throwable thrown, ThreadContext c) {
    long v = number(p.amount, ref, bits, primitive, thrown, c);
    if (v != ABSENT && c.hashed) {
      c.hashed = false;
      if (p.amountNotNumber.compareAndSet(false, true)) {
        AgentLog.warn("probe " + p.spec.name() + ": amount " + p.amount.path() + " is not a number at run time;"
            + " the amount is left out of its rows");
      }
      return ABSENT;
    }
    return v;
  }

  private boolean shouldInject(String key, ThreadContext c) {
    if (reproduceKey == null) {
      return true; // delay after every read
    }
    return key != null && c.attempt <= 1 && reproduceKey.equals(key);
  }

  private void inject() {
    try {
      if (rendezvous != null) {
        rendezvous.await();
      }
      if (delayAfterReadNanos > 0) {
        LockSupport.parkNanos(delayAfterReadNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
