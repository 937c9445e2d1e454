package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.read.Ev;

/**
 * Everything the analysis keeps about one key (e.g. one inventory item): traffic counters, the
 * state the traced writes left it in, and the first state seen, for the invariant.
 *
 * <p>Memory: about 250 bytes a key plus the last successful write and its read; the number of keys
 * is the service's key space touched by the capture, not the number of rows.
 */
public final class KeyState {
  public final String key;

  // Traffic.
  public long requests;
  public long reads;
  public long writes;
  public long writeSuccess;
  /** Conditional writes that failed their version check: conflicts, not anomalies. */
  public long writeConflicts;
  public long storageFaults;
  public long conflictResponses;

  // Read-modify-write windows.
  public long windows;
  public long overlappingWindows;
  long lastWindowEnd = Long.MIN_VALUE;

  // Anomalies.
  public long staleWrites;
  public long sameVersionPairs;
  public long casViolations;
  public long erasedTransitions;
  public long erasedUnits;
  public long aheadWrites;
  public long unpairedWrites;

  // Invariant: confirmed = I0 - remaining.
  public long confirmations;
  public long duplicateConfirmations;
  /** Confirmed requests' effects in the service's units (value read minus value written; 1 without values). */
  public long confirmedUnits;
  /** The effects of the duplicate confirmations among them. */
  public long duplicateUnits;
  boolean seen;
  boolean startsWithUnpairedWrite;
  boolean hashedValues;
  boolean hasI0Value;
  public long i0Value;
  boolean hasI0Version;
  public long i0Version;
  boolean hasCurValue;
  public long curValue;
  boolean hasCurVersion;
  public long curVersion;
  /** Changes by writes outside any request (restock, admin): not matched by confirmations. */
  public long externalUnits;
  public long externalTransitions;
  public long negativeValuesWritten;

  // Last successful write, for evidence.
  Ev lastWrite;
  Ev lastWriteRead;
  Exec lastWriteExec;

  // States (versions, else values) written recently, and states read before their write arrived.
  final long[] recentStates = new long[64];
  int recentCount;
  final long[] aheadStates = new long[16];
  int aheadCount;

  // Expected versions of recent successful conditional writes.
  final long[] casRecent = new long[8];
  int casCount;

  /** The version the key's chain started from: its first version seen, or the last one a write outside requests set. */
  long versionBase;
  boolean hasVersionBase;
  /** A write stored a version not above the one it read: the versions are not counters (hashes). */
  boolean versionsUnordered;

  void rebase(long version) {
    versionBase = version;
    hasVersionBase = true;
  }

  KeyState(String key) {
    this.key = key;
  }

  /** Requests, or reads if the capture has no request rows with keys. */
  public long traffic() {
    return requests > 0 ? requests : reads;
  }

  public long conflictScore() {
    return writeConflicts + staleWrites + casViolations;
  }

  boolean recentlyWritten(long state) {
    return contains(recentStates, recentCount, state);
  }

  void rememberState(long state) {
    recentStates[recentCount++ % recentStates.length] = state;
  }

  /** Removes {@code state} from the states read ahead of their write; true if it was there. */
  boolean takeAhead(long state) {
    int n = Math.min(aheadCount, aheadStates.length);
    for (int i = 0; i < n; i++) {
      if (aheadStates[i] == state) {
        aheadStates[i] = aheadStates[n - 1];
        aheadCount = n - 1;
        return true;
      }
    }
    return false;
  }

  void rememberAhead(long state) {
    if (aheadCount < aheadStates.length) {
      aheadStates[aheadCount++] = state;
    } else {
      aheadStates[(int) (Math.abs(state) % aheadStates.length)] = state;
    }
  }

  private static boolean contains(long[] a, int count, long v) {
    int n = Math.min(count, a.length);
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  boolean casSeen(long expected) {
    int n = Math.min(casCount, casRecent.length);
    for (int i = 0; i < n; i++) {
      if (casRecent[i] == expected) {
        return true;
      }
    }
    return false;
  }

  void casRemember(long expected) {
    casRecent[casCount++ % casRecent.length] = expected;
  }

  /** The invariant check for this key, or {@code null} if neither values nor versions allow it. */
  public Invariant invariant() {
    long confirmed = confirmations - duplicateConfirmations;
    if (hasI0Value && hasCurValue && !hashedValues && !startsWithUnpairedWrite) {
      // In the service's own units: a withdrawal of 3 confirmed is 3 units, not one.
      confirmed = confirmedUnits - duplicateUnits;
      long expected = i0Value + externalUnits - curValue;
      return new Invariant("value", i0Value + externalUnits, curValue, confirmed, expected, confirmed - expected);
    }
    if (hasI0Version && hasCurVersion && !startsWithUnpairedWrite) {
      long expected = curVersion - i0Version - externalTransitions;
      return new Invariant("version", i0Version, curVersion, confirmed, expected, confirmed - expected);
    }
    return null;
  }

  /**
   * @param basis "value" (I0 and remaining are the values read and written) or "version"
   *     (successful version transitions)
   * @param confirmed on the value basis, the effects of the distinct confirmed requests in the
   *     service's units (value read minus value written of each one's successful write; 1 for a
   *     write without a value); on the version basis, the number of confirmed requests
   * @param expected I0 - remaining (or the number of version transitions)
   * @param mismatch confirmed - expected: positive = lost updates, negative = over-applied
   */
  public record Invariant(String basis, long initial, long remaining, long confirmed, long expected, long mismatch) {}
}
