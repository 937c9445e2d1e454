package io.racetrace.agent.core.capture;

import static io.racetrace.trace.TraceSchema.*;

import io.racetrace.agent.bootstrap.ProbeSink;
import io.racetrace.agent.bootstrap.ThreadContext;
import io.racetrace.agent.core.AgentLog;
import io.racetrace.agent.core.extract.Extractor;
import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.agent.core.probe.Reproduce;
import io.racetrace.agent.core.probe.Role;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceRow;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns probed calls into trace rows. Runs on application threads, inside the application's
 * methods.
 *
 * <p>Concurrency: no lock and no shared mutable state but the {@link EventRing}'s claim counter;
 * per-thread request state lives in the bootstrap {@link ThreadContext}. A full ring drops the
 * row and counts it; nothing here waits, except the opt-in reproduction rendezvous and delay.
 *
 * <p>Failure handling: every entry point catches {@link Throwable}. An application getter that
 * throws while a value is extracted leaves that field absent and is counted in
 * {@code extractorErrors}; the application's own call is never affected. Nested request probes,
 * and calls made by the agent itself (a probed getter used by an extractor), emit nothing.
 *
 * <p>Allocation: none per call on the row path. Primitive arguments and return values arrive
 * unboxed; only a primitive used as a key or request id is boxed.
 *
 * <p>Cost: one clock reading per read, write or arrival (at exit; two with {@code
 * callTiming=full}), two per request. With an overhead budget, a {@link KeySampler} decides per
 * request (by the request's key) or per call outside requests (by its own key) whether the event
 * is captured; events not captured are counted in {@code droppedSampled} and take no thread
 * sequence number, so they leave no gap that would read as loss.
 */
public final class CaptureSink implements ProbeSink {
  private static final long ABSENT = Long.MIN_VALUE;
  private static final long NOT_TRACKED = 0L;
  /** Token of a call whose entry time is not taken; any non-zero value but a clock reading. */
  private static final long TRACKED = 1L;
  private static final AtomicInteger GENERATIONS = new AtomicInteger();

  private final ProbeRuntime[] probes;
  private final EventRing ring;
  private final CaptureStats stats;
  private final String reproduceKey;
  private final Rendezvous rendezvous;
  private final long delayAfterReadNanos;
  private final boolean callEntryTime;
  /** Null unless the agent has an overhead budget. */
  private final KeySampler sampler;
  private final int generation = GENERATIONS.incrementAndGet();
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
    this.probes = new ProbeRuntime[specs.size()];
    Extractor.Problems problems = msg -> AgentLog.warn("extractor: " + msg);
    for (int i = 0; i < probes.length; i++) {
      probes[i] = new ProbeRuntime(i, specs.get(i), problems);
    }
    this.ring = new EventRing(ringCapacity);
    this.stats = stats;
    this.reproduceKey = reproduce == null ? null : reproduce.key();
    this.rendezvous = reproduce != null && reproduce.rendezvous()
        ? new Rendezvous(reproduce.parties(), reproduce.timeout().toNanos()) : null;
    this.delayAfterReadNanos = reproduce == null ? 0 : reproduce.delayAfterRead().toNanos();
    this.callEntryTime = callEntryTime;
    this.sampler = sampleFloor > 0 ? new KeySampler(sampleFloor) : null;
  }

  EventRing ring() {
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
  public long enterRequest(int probeId, Object self, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ThreadContext c = null;
    try {
      c = context();
      if (c.busy || c.requestDepth++ > 0) {
        return NOT_TRACKED;
      }
      ProbeRuntime p = probes[probeId];
      c.busy = true;
      c.setCall(self, null, 0, null, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
      Object id = p.requestId == null ? null : object(p.requestId, c);
      Object key = p.key == null ? null : object(p.key, c);
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
      if (c != null && c.busy) {
        c.clearCall();
        c.busy = false;
      }
    }
  }

  @Override
  public void exitRequest(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
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
      // Everything taken from the application is converted before a slot is claimed.
      c.busy = true;
      c.setCall(self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
      Result result = requestResult(p, c, thrown);
      String requestId = (String) c.requestId;
      String key = (String) c.key;
      c.clearCall();
      c.busy = false;

      Slot s = claim(c);
      if (s == null) {
        return;
      }
      TraceRow r = s.row;
      fill(r, EventKind.REQUEST, p, c, token, end);
      bucket(r, c.keyBucket);
      r.result = result;
      if (thrown != null) {
        thrown(r, thrown);
      }
      publish(s, r, requestId, key);
      measure(c, end);
    } catch (Throwable t) {
      adviceError(t);
    } finally {
      if (c != null && token != NOT_TRACKED && (c.busy || c.requestDepth > 0)) {
        c.clearCall();
        c.busy = false;
        c.requestDepth = 0;
        c.endRequest();
      }
    }
  }

  /** The request's outcome; a mapping that fails in application code (a throwing toString) gives NONE and is counted. */
  private Result requestResult(ProbeRuntime p, ThreadContext c, Throwable thrown) {
    try {
      if (thrown != null) {
        return p.result.ofThrown(thrown);
      }
      if (p.resultFrom.isPrimitive(c)) {
        return p.result.ofBits(p.resultFrom.bits(c));
      }
      Object v = object(p.resultFrom, c);
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
    if (!callEntryTime) {
      return TRACKED;
    }
    long now = System.nanoTime();
    return now == NOT_TRACKED ? 1 : now;
  }

  @Override
  public void exitCall(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ThreadContext c = null;
    try {
      c = context();
      if (c.busy || token == NOT_TRACKED) {
        return;
      }
      ProbeRuntime p = probes[probeId];
      boolean inRequest = c.requestDepth > 0;
      if (inRequest && c.sampledOut) {
        stats.droppedSampled.increment(); // the whole request is left out, by its key
        return;
      }
      if (p.role == Role.ATTEMPT || (p.role == Role.READ && inRequest && c.wroteSinceRead)) {
        if (inRequest && c.wroteSinceRead) {
          c.attempt++; // a new read-modify-write attempt in the same request
          c.wroteSinceRead = false;
        }
        if (p.role == Role.ATTEMPT) {
          return;
        }
      }
      long end = System.nanoTime();
      if (p.role == Role.WRITE) {
        c.wroteSinceRead = true;
      }
      // 1. Everything taken from the application (extractors, toString, exception classes) is
      // converted into agent-owned values here, before a slot is claimed: a throw in application
      // code can only leave a field absent, never a claimed slot unpublished.
      c.busy = true;
      c.setCall(self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
      Object keyObject = p.key != null ? object(p.key, c) : null;
      String key = p.key != null ? text(keyObject) : (p.role == Role.ARRIVAL ? null : (String) c.key);
      int bucket = -1;
      if (sampler != null) {
        if (inRequest && p.role != Role.ARRIVAL) {
          // The request's key decided at its entry, and a request is kept or left out whole: a cut
          // that lands while it runs must not take the rest of its reads and writes away.
          bucket = c.keyBucket;
        } else {
          bucket = KeySampler.bucket(keyObject == Extractor.ABSENT ? null : keyObject, key);
          if (bucket >= 0 && !sampler.keeps(bucket)) {
            stats.droppedSampled.increment();
            return;
          }
        }
      }
      String requestId = p.role == Role.ARRIVAL ? text(object(p.requestId, c)) : inRequest ? (String) c.requestId : null;
      int flags = callEntryTime ? 0 : F_UNTIMED;
      long readVersion = 0;
      long expectedVersion = 0;
      long writtenVersion = 0;
      long value = 0;
      Result result = Result.NONE;
      long v;
      if (p.role == Role.READ) {
        if (p.version != null && (v = number(p.version, c)) != ABSENT) {
          readVersion = v;
          flags |= F_READ_VERSION;
        }
      } else if (p.role == Role.WRITE) {
        if (p.expectedVersion != null && (v = number(p.expectedVersion, c)) != ABSENT) {
          expectedVersion = v;
          flags |= F_EXPECTED_VERSION;
        }
        if (p.writtenVersion != null && (v = number(p.writtenVersion, c)) != ABSENT) {
          writtenVersion = v;
          flags |= F_WRITTEN_VERSION;
        }
        result = writeResult(p, c, thrown);
      }
      if (p.role != Role.ARRIVAL && p.value != null && (v = number(p.value, c)) != ABSENT) {
        value = v;
        flags |= F_VALUE | (c.hashed ? F_VALUE_HASHED : 0);
      }
      if (p.role != Role.ARRIVAL && !inRequest) {
        flags |= F_NO_REQUEST;
      }
      boolean inject = p.role == Role.READ && (reproduceKey != null || delayAfterReadNanos > 0)
          && shouldInject(key, c);
      if (inject) {
        flags |= F_INJECTED;
      }
      c.clearCall();
      c.busy = false;

      // 2. Claim to publish: agent-owned values only, nothing in between can throw.
      Slot s = claim(c);
      if (s != null) {
        TraceRow r = s.row;
        fill(r, p.kind, p, c, callEntryTime ? token : end, end);
        if (p.role == Role.ARRIVAL) {
          r.attempt = 0;
        }
        r.flags = flags;
        r.readVersion = readVersion;
        r.expectedVersion = expectedVersion;
        r.writtenVersion = writtenVersion;
        r.value = value;
        r.result = result;
        bucket(r, bucket);
        if (thrown != null) {
          thrown(r, thrown);
        }
        publish(s, r, requestId, key);
        measure(c, end);
      }
      if (inject) {
        inject();
      }
    } catch (Throwable t) {
      adviceError(t);
    } finally {
      if (c != null && c.busy) {
        c.clearCall();
        c.busy = false;
      }
    }
  }

  /** A write's outcome: from what it threw, its {@code success} path, or success for a normal return. */
  private Result writeResult(ProbeRuntime p, ThreadContext c, Throwable thrown) {
    try {
      if (thrown != null) {
        return p.result.ofThrown(thrown);
      }
      if (p.success == null) {
        return Result.SUCCESS;
      }
      if (p.success.isPrimitive(c)) {
        return p.success.bits(c) > 0 ? Result.SUCCESS : Result.CONFLICT; // true, or rows updated
      }
      return succeeded(object(p.success, c)) ? Result.SUCCESS : Result.CONFLICT;
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
      c.clearCall();
      c.busy = false;
      c.requestDepth = 0;
      c.endRequest();
      Thread t = Thread.currentThread();
      threadNames.put(t.getId(), t.getName());
      c.generation = generation;
    }
    return c;
  }

  /** Claims a slot, counting the row in the thread's sequence whether or not it is dropped. */
  private Slot claim(ThreadContext c) {
    c.seq++;
    Slot s = ring.claim();
    if (s == null) {
      stats.droppedRingFull.incrementAndGet();
    }
    return s;
  }

  private static void fill(TraceRow r, EventKind kind, ProbeRuntime p, ThreadContext c, long start, long end) {
    r.kind = kind;
    r.result = Result.NONE;
    r.flags = 0;
    r.detail = null;
    r.probeId = p.id;
    r.threadId = Thread.currentThread().getId();
    r.threadSeq = c.seq;
    r.attempt = c.requestDepth > 0 ? c.attempt : 0;
    r.startNanos = start;
    r.endNanos = end;
  }

  private void bucket(TraceRow r, int bucket) {
    if (bucket >= 0) {
      r.keyBucket = bucket;
      r.flags |= F_KEY_BUCKET;
    }
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

  private void publish(Slot s, TraceRow r, String requestId, String key) {
    r.requestId = requestId;
    r.key = key;
    if (requestId != null) {
      r.flags |= F_REQUEST_ID;
    }
    if (key != null) {
      r.flags |= F_KEY;
    }
    ring.publish(s);
  }

  private static void thrown(TraceRow r, Throwable thrown) {
    r.flags |= F_THROWN | F_DETAIL;
    r.detail = thrown.getClass().getName();
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

  private Object object(Extractor e, ThreadContext c) {
    try {
      return e.asObject(c);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return Extractor.ABSENT;
    }
  }

  private long number(Extractor e, ThreadContext c) {
    c.hashed = false; // set by the extractor only when it hashes: never left over from an earlier value
    try {
      return e.asLong(c, ABSENT);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return ABSENT;
    }
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
