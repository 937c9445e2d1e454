package io.racetrace.agent.core.probe;

/** A probe file that cannot be used; the message is one line: {@code file:line: field: problem}. */
public final class ProbeFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProbeFileException(String message) {
    super(message);
  }
}
