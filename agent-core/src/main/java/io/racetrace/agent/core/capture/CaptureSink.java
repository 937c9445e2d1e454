package io.racetrace.agent.core.capture;

import static io.racetrace.trace.TraceSchema.*;

import io.racetrace.agent.bootstrap.ProbeSink;
import io.racetrace.agent.bootstrap.ThreadContext;
import io.racetrace.agent.core.AgentLog;
import io.racetrace.agent.core.extract.Extractor;
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
 * <p>Failure handling: every method catches {@link Throwable}. An application getter that throws
 * while a value is extracted leaves that field absent and is counted in {@code extractorErrors};
 * the application's own call is never affected. Nested request probes, and calls made by the agent
 * itself (a probed getter used by an extractor), emit nothing.
 *
 * <p>Allocation: none per call on the row path, unless an application getter allocates or a
 * primitive argument has to be boxed by the advice.
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

  public CaptureSink(List<io.racetrace.agent.core.probe.ProbeSpec> specs, Reproduce reproduce, int ringCapacity, CaptureStats stats) {
    this.probes = new ProbeRuntime[specs.size()];
    Extractor.Problems problems = msg -> AgentLog.warn("extractor: " + msg);
    for (int i = 0; i < probes.length; i++) {
      probes[i] = new ProbeRuntime(i, specs.get(i), problems);
    }
    this.ring = new EventRing(ringCapacity);
    this.stats = stats;
    if (reproduce != null) {
      this.reproduceKey = reproduce.key();
      this.rendezvous = reproduce.rendezvous() ? new Rendezvous(reproduce.parties(), reproduce.timeout().toNanos()) : null;
      this.delayAfterReadNanos = reproduce.delayAfterRead().toNanos();
    } else {
      this.reproduceKey = null;
      this.rendezvous = null;
      this.delayAfterReadNanos = 0;
    }
  }

  EventRing ring() {
    return ring;
  }

  @Override
  public long enterRequest(int probeId, Object self, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    try {
      ThreadContext ctx = ThreadContext.current();
      if (ctx.busy || ctx.requestDepth++ > 0) {
        return NOT_TRACKED;
      }
      ProbeRuntime p = probes[probeId];
      ctx.busy = true;
      try {
        Object id = p.requestId == null ? null : object(p.requestId, p.requestId.root(self, null, null, a0, a1, a2, a3, a4, a5));
        Object key = p.key == null ? null : object(p.key, p.key.root(self, null, null, a0, a1, a2, a3, a4, a5));
        long now = System.nanoTime();
        ctx.beginRequest(id, key, now);
        return now == NOT_TRACKED ? 1 : now;
      } finally {
        ctx.busy = false;
      }
    } catch (Throwable t) {
      stats.adviceErrors.incrementAndGet();
      return NOT_TRACKED;
    }
  }

  @Override
  public void exitRequest(int probeId, long token, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    ThreadContext ctx = null;
    try {
      ctx = ThreadContext.current();
      if (ctx.busy) {
        return;
      }
      if (token == NOT_TRACKED) {
        if (ctx.requestDepth > 0) {
          ctx.requestDepth--;
        }
        return;
      }
      long end = System.nanoTime();
      ProbeRuntime p = probes[probeId];
      Slot s = ring.claim();
      long seq = ++ctx.seq;
      if (s == null) {
        stats.droppedRingFull.incrementAndGet();
        return;
      }
      TraceRow r = s.row;
      r.kind = EventKind.REQUEST;
      r.flags = 0;
      r.detail = null;
      fillCommon(s, r, p, ctx, seq, token, end);
      s.requestId = ctx.requestId;
      s.key = ctx.key;
      flagRefs(s, r);
      ctx.busy = true;
      try {
        if (thrown != null) {
          r.result = p.result.ofThrown(thrown);
          r.flags |= F_THROWN | F_DETAIL;
          r.detail = thrown.getClass().getName();
        } else {
          Object v = returned;
          if (p.resultFrom != null) {
            v = object(p.resultFrom, p.resultFrom.root(self, returned, null, a0, a1, a2, a3, a4, a5));
            v = v == Extractor.ABSENT ? null : v;
          }
          r.result = p.result.ofValue(v);
        }
      } finally {
        ctx.busy = false;
      }
      ring.publish(s);
    } catch (Throwable t) {
      stats.adviceErrors.incrementAndGet();
    } finally {
      if (ctx != null && token != NOT_TRACKED && !ctx.busy) {
        ctx.requestDepth = 0;
        ctx.endRequest();
      }
    }
  }

  @Override
  public void adviceError(Throwable t) {
    stats.adviceErrors.incrementAndGet();
  }

  @Override
  public long enterCall(int probeId) {
    long now = System.nanoTime();
    return now == NOT_TRACKED ? 1 : now;
  }

  @Override
  public void exitCall(int probeId, long token, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    try {
      ThreadContext ctx = ThreadContext.current();
      if (ctx.busy || token == NOT_TRACKED) {
        return;
      }
      ProbeRuntime p = probes[probeId];
      if (p.role == Role.ATTEMPT) {
        if (ctx.requestDepth > 0 && ctx.wroteSinceRead) {
          ctx.attempt++;
          ctx.wroteSinceRead = false;
        }
        return;
      }
      long end = System.nanoTime();
      if (p.role == Role.READ && ctx.requestDepth > 0 && ctx.wroteSinceRead) {
        ctx.attempt++; // a read after a write in the same request: a new read-modify-write attempt
        ctx.wroteSinceRead = false;
      }
      Slot s = ring.claim();
      long seq = ++ctx.seq;
      if (s == null) {
        stats.droppedRingFull.incrementAndGet();
        if (p.role == Role.WRITE) {
          ctx.wroteSinceRead = true;
        }
        return;
      }
      TraceRow r = s.row;
      r.kind = p.kind;
      r.flags = 0;
      r.detail = null;
      r.result = Result.NONE;
      fillCommon(s, r, p, ctx, seq, token, end);
      boolean inject = false;
      ctx.busy = true;
      try {
        if (p.role == Role.ARRIVAL) {
          s.requestId = value(p.requestId, self, returned, thrown, a0, a1, a2, a3, a4, a5);
          s.key = p.key == null ? null : value(p.key, self, returned, thrown, a0, a1, a2, a3, a4, a5);
          r.attempt = 0;
        } else {
          s.requestId = ctx.requestDepth > 0 ? ctx.requestId : null;
          s.key = p.key != null ? value(p.key, self, returned, thrown, a0, a1, a2, a3, a4, a5) : ctx.key;
          if (ctx.requestDepth == 0) {
            r.flags |= F_NO_REQUEST;
          }
          if (p.role == Role.READ) {
            fillRead(r, p, ctx, self, returned, thrown, a0, a1, a2, a3, a4, a5);
            inject = reproduceKey != null || delayAfterReadNanos > 0;
          } else {
            fillWrite(r, p, ctx, self, returned, thrown, a0, a1, a2, a3, a4, a5);
            ctx.wroteSinceRead = true;
          }
        }
        if (thrown != null) {
          r.flags |= F_THROWN | F_DETAIL;
          r.detail = thrown.getClass().getName();
        }
      } finally {
        ctx.busy = false;
      }
      flagRefs(s, r);
      Object key = s.key;
      if (inject && shouldInject(key, ctx)) {
        r.flags |= F_INJECTED;
        ring.publish(s);
        inject(ctx);
      } else {
        ring.publish(s);
      }
    } catch (Throwable t) {
      stats.adviceErrors.incrementAndGet();
    }
  }

  private void fillCommon(Slot s, TraceRow r, ProbeRuntime p, ThreadContext ctx, long seq, long start, long end) {
    Thread t = Thread.currentThread();
    s.thread = t;
    r.probeId = p.id;
    r.threadId = t.getId();
    r.threadSeq = seq;
    r.attempt = ctx.requestDepth > 0 ? ctx.attempt : 0;
    r.startNanos = start;
    r.endNanos = end;
    r.result = Result.NONE;
  }

  private static void flagRefs(Slot s, TraceRow r) {
    if (s.requestId != null && s.requestId != Extractor.ABSENT) {
      r.flags |= F_REQUEST_ID;
    } else {
      s.requestId = null;
    }
    if (s.key != null && s.key != Extractor.ABSENT) {
      r.flags |= F_KEY;
    } else {
      s.key = null;
    }
  }

  private void fillRead(TraceRow r, ProbeRuntime p, ThreadContext ctx, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    long v;
    if (p.version != null && (v = number(p.version, self, returned, thrown, a0, a1, a2, a3, a4, a5, false, r)) != ABSENT) {
      r.readVersion = v;
      r.flags |= F_READ_VERSION;
    }
    if (p.value != null && (v = number(p.value, self, returned, thrown, a0, a1, a2, a3, a4, a5, true, r)) != ABSENT) {
      r.value = v;
      r.flags |= F_VALUE;
    }
  }

  private void fillWrite(TraceRow r, ProbeRuntime p, ThreadContext ctx, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) throws Throwable {
    long v;
    if (p.expectedVersion != null && (v = number(p.expectedVersion, self, returned, thrown, a0, a1, a2, a3, a4, a5, false, r)) != ABSENT) {
      r.expectedVersion = v;
      r.flags |= F_EXPECTED_VERSION;
    }
    if (p.writtenVersion != null && (v = number(p.writtenVersion, self, returned, thrown, a0, a1, a2, a3, a4, a5, false, r)) != ABSENT) {
      r.writtenVersion = v;
      r.flags |= F_WRITTEN_VERSION;
    }
    if (p.value != null && (v = number(p.value, self, returned, thrown, a0, a1, a2, a3, a4, a5, true, r)) != ABSENT) {
      r.value = v;
      r.flags |= F_VALUE;
    }
    if (thrown != null) {
      r.result = p.result.ofThrown(thrown);
    } else if (p.success == null) {
      r.result = Result.SUCCESS;
    } else {
      Object ok = value(p.success, self, returned, null, a0, a1, a2, a3, a4, a5);
      r.result = succeeded(ok) ? Result.SUCCESS : Result.CONFLICT;
    }
  }

  /** Boolean true, a positive number (rows updated), or any non-null value counts as success. */
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

  private Object value(Extractor e, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    return object(e, e.root(self, returned, thrown, a0, a1, a2, a3, a4, a5));
  }

  private Object object(Extractor e, Object root) {
    try {
      return e.asObject(root);
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return Extractor.ABSENT;
    }
  }

  private long number(Extractor e, Object self, Object returned, Throwable thrown,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5, boolean isValue, TraceRow r) {
    try {
      boolean[] hashed = HASHED.get();
      hashed[0] = false;
      long v = e.asLong(e.root(self, returned, thrown, a0, a1, a2, a3, a4, a5), ABSENT, hashed);
      if (hashed[0] && isValue) {
        r.flags |= F_VALUE_HASHED;
      }
      return v;
    } catch (Throwable t) {
      stats.extractorErrors.incrementAndGet();
      return ABSENT;
    }
  }

  // Scratch flag for Extractor.asLong. A boolean[] is a JDK type: no agent class is kept per thread.
  private static final ThreadLocal<boolean[]> HASHED = ThreadLocal.withInitial(() -> new boolean[1]);

  private boolean shouldInject(Object key, ThreadContext ctx) {
    if (reproduceKey == null) {
      return true; // delay on every key
    }
    return key != null && reproduceKey.equals(key.toString()) && ctx.attempt <= 1;
  }

  private void inject(ThreadContext ctx) {
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
