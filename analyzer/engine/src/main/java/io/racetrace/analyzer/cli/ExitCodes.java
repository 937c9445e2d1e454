package io.racetrace.analyzer.cli;

/** The analyzer's exit codes. */
public final class ExitCodes {
  /** The release criteria pass (possibly conditionally: canary). */
  public static final int PASS = 0;
  /** The release criteria fail, or the capture lost rows. */
  public static final int FAIL = 1;
  /** Usage error or unusable input (missing, empty, truncated or corrupt queue; bad criteria file). */
  public static final int INPUT_ERROR = 2;

  private ExitCodes() {}
}
