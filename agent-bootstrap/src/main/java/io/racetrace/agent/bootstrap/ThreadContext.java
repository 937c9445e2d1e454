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

  /** Depth of nested request probes; only the outermost one emits a row. */
  public int requestDepth;
  /** True while the agent itself runs on this thread (extractors calling app getters). */
  public boolean busy;
  public Object requestId;
  public Object key;
  public long requestStart;
  public int attempt;
  /** A write completed since the last read: the next read starts a new attempt. */
  public boolean wroteSinceRead;
  /** Rows this thread offered to the agent, written or dropped; gaps reveal loss. */
  public long seq;
  /** Injection (reproduction) state: the key this thread last held a rendezvous for. */
  public Object heldKey;

  public static ThreadContext current() {
    return CURRENT.get();
  }

  public void beginRequest(Object requestId, Object key, long start) {
    this.requestId = requestId;
    this.key = key;
    this.requestStart = start;
    this.attempt = 1;
    this.wroteSinceRead = false;
  }

  public void endRequest() {
    requestId = null;
    key = null;
    heldKey = null;
    attempt = 0;
    wroteSinceRead = false;
  }
}
