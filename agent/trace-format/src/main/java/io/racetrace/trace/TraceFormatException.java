package io.racetrace.trace;

import java.nio.file.Path;

/**
 * A capture that cannot be read as racetrace trace data. The message is one line that names the
 * file (or queue directory) and the problem, fit to show a user as is.
 */
public final class TraceFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public TraceFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public TraceFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
