package io.racetrace.cli;

/** A problem the user can fix: printed as one line, no stack trace, with its exit code. */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int exitCode;

  public UserException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
