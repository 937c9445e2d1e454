package io.racetrace.agent.bootstrap;

/**
 * Per-application-thread state of the request the thread is serving: its id and key, so that the
 * reads and writes nested in it carry them, and its attempt number. Plain fields: only its own
 * thread touches an instance.
 *
 * <p>Holds application objects only between a request's entry and exit; {@link #endRequest()}
 * clears them, so nothing of the application is kept alive by an idle thread.
 */
public final class ThreadContext {
  private static final ThreadLocal<ThreadContext> CURRENT = ThreadLocal.withInitial(ThreadContext::new);
  /**
   * A direct-mapped cache in front of {@link #CURRENT}, indexed by thread id: one array load and
   * one identity check instead of a thread-local map probe on every traced call. Racy by design:
   * a slot holds some thread's context, and {@link #owner} tells whose; a miss goes to the
   * thread-local. Holds at most {@code CACHE_SIZE} contexts of threads that have ended.
   */
  private static final int CACHE_SIZE = 1024;
  private static final ThreadContext[] CACHE = new ThreadContext[CACHE_SIZE];

  private final java.lang.ref.WeakReference<Thread> owner = new java.lang.ref.WeakReference<>(Thread.currentThread());

  /** Depth of nested request probes; only the outermost one emits a row. */
  public int requestDepth;
  /** True while the agent itself runs on this thread (extractors calling app getters). */
  public boolean busy;
  public Object requestId;
  public Object key;
  public int attempt;
  /** A write completed since the last read: the next read starts a new attempt. */
  public boolean wroteSinceRead;
  /** Rows this thread offered to the agent, written or dropped; gaps reveal loss. */
  public long seq;
  /** Sampling bucket of the request's key, or -1 (no key, or the agent does not sample). */
  public int keyBucket = -1;
  /** The request's key is not sampled: nothing of the request is captured. */
  public boolean sampledOut;
  /** The attach generation that last saw this thread (the agent names each thread once per capture). */
  public int generation;

  // The probed call being handled, parked here so extractors need not pass 20 arguments around.
  // Set and cleared by the agent within one exit call; never kept between calls.
  public Object self;
  public Object returned;
  public long retBits;
  public Throwable thrown;
  public int mask;
  public Object a0, a1, a2, a3, a4, a5;
  public long p0, p1, p2, p3, p4, p5;
  /** Scratch: set by an extractor when it had to hash a non-numeric value. */
  public boolean hashed;

  public static ThreadContext current() {
    Thread t = Thread.currentThread();
    int slot = (int) t.getId() & (CACHE_SIZE - 1);
    ThreadContext c = CACHE[slot];
    if (c != null && c.owner.refersTo(t)) {
      return c;
    }
    c = CURRENT.get();
    CACHE[slot] = c;
    return c;
  }

  public void beginRequest(Object requestId, Object key) {
    this.requestId = requestId;
    this.key = key;
    this.attempt = 1;
    this.wroteSinceRead = false;
  }

  public void setCall(Object self, Object returned, long retBits, Throwable thrown, int mask,
      Object a0, Object a1, Object a2, Object a3, Object a4, Object a5,
      long p0, long p1, long p2, long p3, long p4, long p5) {
    this.self = self;
    this.returned = returned;
    this.retBits = retBits;
    this.thrown = thrown;
    this.mask = mask;
    this.a0 = a0;
    this.a1 = a1;
    this.a2 = a2;
    this.a3 = a3;
    this.a4 = a4;
    this.a5 = a5;
    this.p0 = p0;
    this.p1 = p1;
    this.p2 = p2;
    this.p3 = p3;
    this.p4 = p4;
    this.p5 = p5;
  }

  /** Drops the references to the call's objects. */
  public void clearCall() {
    self = null;
    returned = null;
    thrown = null;
    a0 = null;
    a1 = null;
    a2 = null;
    a3 = null;
    a4 = null;
    a5 = null;
  }

  public void endRequest() {
    requestId = null;
    key = null;
    attempt = 0;
    wroteSinceRead = false;
    keyBucket = -1;
    sampledOut = false;
  }
}
