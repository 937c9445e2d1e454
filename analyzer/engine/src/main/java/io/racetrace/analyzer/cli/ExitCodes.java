package io.racetrace.analyzer.cli;

/**
 * The analyzer's exit codes, and their lines for the commands' {@code --help} (picocli's
 * {@code exitCodeList}: "code:meaning"), so the help and the code say the same thing.
 */
public final class ExitCodes {
  /** The release criteria pass (possibly conditionally: canary). */
  public static final int PASS = 0;
  /** The release criteria fail, or the capture lost rows. */
  public static final int FAIL = 1;
  /** Usage error or unusable input (missing, empty, truncated or corrupt queue; bad criteria file). */
  public static final int INPUT_ERROR = 2;

  /** The heading of every command's list. */
  public static final String HEADING = "%nExit codes:%n";
  /** Every command's 2: picocli's usage errors, our input errors, and internal errors alike. */
  public static final String USAGE_LINE = "2:usage or input error (one line on stderr naming the file or option, no"
      + " stack trace; also an internal error)";
  public static final String ANALYZE_PASS = "0:the release criteria pass: decision release, or canary";
  public static final String ANALYZE_FAIL = "1:they fail (do_not_release), or the capture lost rows (recapture)";
  public static final String COMPARE_PASS = "0:the retest passes the release criteria (release or canary)";
  public static final String COMPARE_FAIL = "1:the retest fails them (do_not_release or recapture)";

  public static final String REPORT_PASS = "0:the package recommends release or canary";
  public static final String REPORT_FAIL = "1:it recommends do_not_release (or recapture): a release item fails";
  public static final String REPORT_USAGE = "2:usage or input error: a report.json missing, unreadable or of another"
      + " run (one line naming the file and field, no stack trace)";

  private ExitCodes() {}
}
