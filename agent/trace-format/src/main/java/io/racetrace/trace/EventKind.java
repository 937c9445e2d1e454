package io.racetrace.trace;

/** What a trace row records. Codes are part of the schema and never change meaning. */
public enum EventKind {
  /** A request was accepted into the service (e.g. queued for a worker); its end is the arrival. */
  ARRIVAL(1),
  /** One client request, from entry to exit of the request method, on one thread. */
  REQUEST(2),
  /** One read of shared state: key, version read, value read. */
  READ(3),
  /** One write of shared state: key, expected version, version written, value written. */
  WRITE(4),
  /**
   * Since schema version 4: the thread's transaction ended by a commit call. Result SUCCESS: the
   * thread's writes since its last COMMIT or ROLLBACK row committed; a commit that threw (result
   * ERROR or TIMEOUT) committed nothing.
   */
  COMMIT(5),
  /** Since schema version 4: the thread's transaction was rolled back: its writes since its last COMMIT or ROLLBACK row did not apply. */
  ROLLBACK(6);

  private static final EventKind[] BY_CODE = new EventKind[7];

  static {
    for (EventKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  public final int code;

  EventKind(int code) {
    this.code = code;
  }

  /** The highest kind code a record of schema {@code version} may carry. */
  public static int maxCode(int version) {
    return version >= 4 ? ROLLBACK.code : WRITE.code;
  }

  /** Returns the kind for a code, or {@code null} if the code is not known to this schema. */
  public static EventKind ofCode(int code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
