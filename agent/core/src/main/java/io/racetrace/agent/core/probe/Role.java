package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.racetrace.trace.EventKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a probed method means to the analysis. */
public enum Role {
  /** The request was accepted into the service (queued for a worker). */
  ARRIVAL(EventKind.ARRIVAL),
  /** One client request, entry to exit; reads and writes inside it carry its id and key. */
  REQUEST(EventKind.REQUEST),
  /** The store read. */
  READ(EventKind.READ),
  /** The store write. */
  WRITE(EventKind.WRITE),
  /** Marks the start of each read-modify-write attempt inside a request (optional). */
  ATTEMPT(null),
  /**
   * A transaction's commit call ({@code Connection.commit()}, a transaction manager's
   * {@code doCommit}): returning normally, it applied the thread's writes since its last commit or
   * rollback; throwing, it applied none of them.
   */
  COMMIT(EventKind.COMMIT),
  /** A transaction's rollback call: the thread's writes since its last commit or rollback did not apply. */
  ROLLBACK(EventKind.ROLLBACK);

  public final EventKind kind;

  Role(EventKind kind) {
    this.kind = kind;
  }

  @JsonCreator
  public static Role parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown role '" + s + "' (expected one of "
          + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
    }
  }

  /** A transaction boundary: a commit or a rollback. */
  public boolean endsTransaction() {
    return this == COMMIT || this == ROLLBACK;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
