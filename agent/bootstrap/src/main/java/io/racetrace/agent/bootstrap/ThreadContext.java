package io.racetrace.agent.bootstrap;

/**
 * Per-application-thread state of the request the thread is serving: its id and key, so that the
 * reads and writes nested in it carry them, and its attempt number. Plain fields: only its own
 * thread touches an instance.
 *
 * <p>Holds no application object: the request's id and key are kept as the agent's own strings,
 * and the probed call's values are passed to the agent as arguments, never parked here.
 */
public final class ThreadContext {
  private static final ThreadLocal<ThreadContext> CURRENT = ThreadLocal.withInitial(ThreadContext::new);
  /**
   * A direct-mapped cache in front of {@link #CURRENT}, indexed by thread id: one array load and
   * comparison instead of a thread-local map probe on every traced call. Racy by design: a slot
   * holds some thread's context, and {@link #ownerId} tells whose (thread ids are never reused in
   * a JVM, so the id names the thread exactly, without a reference to it); a miss goes to the
   * thread-local. Holds at most {@code CACHE_SIZE} contexts of threads that have ended.
   */
  private static final int CACHE_SIZE = 1024;
  private static final ThreadContext[] CACHE = new ThreadContext[CACHE_SIZE];
  /**
   * Captures started in this JVM. Kept here, not in the capture: each attach loads the agent's
   * core in a new class loader, whose own counter would start again at the same number.
   */
  private static final java.util.concurrent.atomic.AtomicInteger CAPTURES = new java.util.concurrent.atomic.AtomicInteger();

  private final long ownerId = Thread.currentThread().getId();

  /** Depth of nested request probes; only the outermost one emits a row. */
  public int requestDepth;
  /**
   * Per probe: how many calls of its methods on JDK proxies this thread is inside, so a call the
   * proxy's handler forwards to a woven implementation of the same probe emits nothing. Allocated
   * by the capture on the thread's first proxy call, dropped when another capture takes it over.
   */
  public int[] proxyDepth;
  /** True while the agent itself runs on this thread (extractors calling app getters). */
  public boolean busy;
  public String requestId;
  public String key;
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

  /**
   * The agent encodes each of this thread's rows here, in cache, before it copies the row into
   * the shared ring; sized by the agent, grown for a row with longer strings.
   */
  public byte[] rowBuffer;

  /** Scratch: set by an extractor when it had to hash a non-numeric value. */
  public boolean hashed;

  /** A number for a new capture, unique in this JVM (until it wraps, after 2^32 captures). */
  public static int nextCapture() {
    return CAPTURES.incrementAndGet();
  }

  public static ThreadContext current() {
    long id = Thread.currentThread().getId();
    int slot = (int) id & (CACHE_SIZE - 1);
    ThreadContext c = CACHE[slot];
    if (c != null && c.ownerId == id) {
      return c;
    }
    c = CURRENT.get();
    CACHE[slot] = c;
    return c;
  }

  public void beginRequest(String requestId, String key) {
    this.requestId = requestId;
    this.key = key;
    this.attempt = 1;
    this.wroteSinceRead = false;
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
