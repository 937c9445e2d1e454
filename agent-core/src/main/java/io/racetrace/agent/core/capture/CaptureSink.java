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
 */
public final class CaptureSink implements ProbeSink {
  private static final long ABSENT = Long.MIN_VALUE;
  private static final long NOT_TRACKED = 0L;

  private final ProbeRuntime[] probes;
  private final EventRing ring;
  private final CaptureStats stats;
  private final String reproduceKey;
  private final Rendezvous rendezvous;
  private final long delayAfterReadNanos;

  public CaptureSink(List<ProbeSpec> specs, Reproduce reproduce, int ringCapacity, CaptureStats stats) {
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
  }

  EventRing ring() {
    return ring;
  }

  @Override
  public long enterRequest(int probeId, Object self, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ThreadContext c = null;
    try {
      c = ThreadContext.current();
      if (c.busy || c.requestDepth++ > 0) {
        return NOT_TRACKED;
      }
      ProbeRuntime p = probes[probeId];
      c.busy = true;
      c.setCall(self, null, 0, null, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
      Object id = p.requestId == null ? null : object(p.requestId, c);
      Object key = p.key == null ? null : object(p.key, c);
      long now = System.nanoTime();
      c.beginRequest(id, key);
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
      c = ThreadContext.current();
      if (c.busy) {
        return;
      }
      if (token == NOT_TRACKED) {
        if (c.requestDepth > 0) {
          c.requestDepth--;
        }
        return;
      }
      long end = System.nanoTime();
      ProbeRuntime p = probes[probeId];
      Slot s = claim(c);
      if (s == null) {
        return;
      }
      TraceRow r = s.row;
      fill(s, r, EventKind.REQUEST, p, c, token, end);
      s.requestId = c.requestId;
      s.key = c.key;
      c.busy = true;
      c.setCall(self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
      if (thrown != null) {
        r.result = p.result.ofThrown(thrown);
        thrown(r, thrown);
      } else if (p.resultFrom.isPrimitive(c)) {
        r.result = p.result.ofBits(p.resultFrom.bits(c));
      } else {
        Object v = object(p.resultFrom, c);
        r.result = p.result.ofValue(v == Extractor.ABSENT ? null : v);
      }
      publish(s, r);
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

  @Override
  public void adviceError(Throwable t) {
    if (stats.adviceErrors.incrementAndGet() == 1) {
      AgentLog.error("woven code failed (first of possibly more, all counted in the capture): " + t);
    }
  }

  @Override
  public long enterCall(int probeId) {
    long now = System.nanoTime();
    return now == NOT_TRACKED ? 1 : now;
  }

  @Override
  public void exitCall(int probeId, long token, Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    ThreadContext c = null;
    try {
      c = ThreadContext.current();
      if (c.busy || token == NOT_TRACKED) {
        return;
      }
      ProbeRuntime p = probes[probeId];
      boolean inRequest = c.requestDepth > 0;
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
      Slot s = claim(c);
      if (s == null) {
        return;
      }
      TraceRow r = s.row;
      fill(s, r, p.kind, p, c, token, end);
      c.busy = true;
      c.setCall(self, returned, retBits, thrown, mask, a0, a1, a2, a3, a4, a5, p0, p1, p2, p3, p4, p5);
      if (p.role == Role.ARRIVAL) {
        s.requestId = object(p.requestId, c);
        s.key = p.key == null ? null : object(p.key, c);
        r.attempt = 0;
      } else {
        s.requestId = inRequest ? c.requestId : null;
        s.key = p.key != null ? object(p.key, c) : c.key;
        if (!inRequest) {
          r.flags |= F_NO_REQUEST;
        }
        if (p.role == Role.READ) {
          read(r, p, c);
        } else {
          write(r, p, c);
        }
      }
      if (thrown != null) {
        thrown(r, thrown);
      }
      boolean inject = p.role == Role.READ && (reproduceKey != null || delayAfterReadNanos > 0)
          && shouldInject(s.key, c);
      if (inject) {
        r.flags |= F_INJECTED;
      }
      c.clearCall();
      c.busy = false;
      publish(s, r);
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

  /** Claims a slot, counting the row in the thread's sequence whether or not it is dropped. */
  private Slot claim(ThreadContext c) {
    c.seq++;
    Slot s = ring.claim();
    if (s == null) {
      stats.droppedRingFull.incrementAndGet();
    }
    return s;
  }

  private static void fill(Slot s, TraceRow r, EventKind kind, ProbeRuntime p, ThreadContext c, long start, long end) {
    Thread t = Thread.currentThread();
    s.thread = t;
    r.kind = kind;
    r.result = Result.NONE;
    r.flags = 0;
    r.detail = null;
    r.probeId = p.id;
    r.threadId = t.getId();
    r.threadSeq = c.seq;
    r.attempt = c.requestDepth > 0 ? c.attempt : 0;
    r.startNanos = start;
    r.endNanos = end;
  }

  private void publish(Slot s, TraceRow r) {
    if (s.requestId == Extractor.ABSENT || s.requestId == null) {
      s.requestId = null;
    } else {
      r.flags |= F_REQUEST_ID;
    }
    if (s.key == Extractor.ABSENT || s.key == null) {
      s.key = null;
    } else {
      r.flags |= F_KEY;
    }
    ring.publish(s);
  }

  private static void thrown(TraceRow r, Throwable thrown) {
    r.flags |= F_THROWN | F_DETAIL;
    r.detail = thrown.getClass().getName();
  }

  private void read(TraceRow r, ProbeRuntime p, ThreadContext c) {
    long v;
    if (p.version != null && (v = number(p.version, c)) != ABSENT) {
      r.readVersion = v;
      r.flags |= F_READ_VERSION;
    }
    if (p.value != null && (v = number(p.value, c)) != ABSENT) {
      r.value = v;
      r.flags |= F_VALUE | (c.hashed ? F_VALUE_HASHED : 0);
    }
  }

  private void write(TraceRow r, ProbeRuntime p, ThreadContext c) {
    long v;
    if (p.expectedVersion != null && (v = number(p.expectedVersion, c)) != ABSENT) {
      r.expectedVersion = v;
      r.flags |= F_EXPECTED_VERSION;
    }
    if (p.writtenVersion != null && (v = number(p.writtenVersion, c)) != ABSENT) {
      r.writtenVersion = v;
      r.flags |= F_WRITTEN_VERSION;
    }
    if (p.value != null && (v = number(p.value, c)) != ABSENT) {
      r.value = v;
      r.flags |= F_VALUE | (c.hashed ? F_VALUE_HASHED : 0);
    }
    if (c.thrown != null) {
      r.result = p.result.ofThrown(c.thrown);
    } else if (p.success == null) {
      r.result = Result.SUCCESS;
    } else if (p.success.isPrimitive(c)) {
      r.result = p.success.bits(c) > 0 ? Result.SUCCESS : Result.CONFLICT; // true, or rows updated
    } else {
      r.result = succeeded(object(p.success, c)) ? Result.SUCCESS : Result.CONFLICT;
    }
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
    try {
      return e.asLong(c, ABSENT);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return ABSENT;
    }
  }

  private boolean shouldInject(Object key, ThreadContext c) {
    if (reproduceKey == null) {
      return true; // delay after every read
    }
    return key != null && c.attempt <= 1 && reproduceKey.equals(key.toString());
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
