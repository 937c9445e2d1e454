package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.correlate.Observed;
import io.racetrace.analyzer.read.Ev;

/**
 * Everything the analysis keeps about one key (e.g. one inventory item): traffic counters, its
 * chain of states (one per successful write, the current one's known content, a few recent ones),
 * and the ledger for the invariant.
 *
 * <p>Memory: a few hundred bytes a key, up to 2 KB for keys with many writes (the recent states), plus the last successful write and its read; the number of keys
 * is the service's key space touched by the capture, not the number of rows.
 */
public final class KeyState {
  public final String key;
  /** The key's hash on the rows ({@code Ev#keyHash}). */
  final long hash;

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
  public long undecidedWrites;
  /** Successful request writes with an amount and no value: relative, not judged. */
  public long relativeWrites;

  // Invariant: confirmed = I0 + external changes - remaining, in the service's units.
  public long confirmations;
  public long duplicateConfirmations;
  /** Confirmed requests' effects in the service's units (the write's amount, else value read minus value written). */
  public long confirmedUnits;
  /** The effects of the duplicate confirmations among them. */
  public long duplicateUnits;
  /** Confirmed requests whose effect the rows do not show (no value read, or none written). */
  public long effectsUnknown;
  boolean seen;
  boolean hashedValues;
  /** I0: the stock of the key's first state, or of the state a first write outside requests left. */
  boolean hasI0Value;
  public long i0Value;
  /** A change the ledger cannot account for (a request write before I0 was known, a write without value or amount). */
  boolean ledgerBroken;
  /** Changes by writes outside any request (restock, admin): not matched by confirmations. */
  public long externalUnits;
  public long negativeValuesWritten;
  /** Writes with an amount and a value whose value-based change was another: the value's was taken. */
  public long amountDisagreements;

  // The key's chain of states: one per successful write, in merged time order. The current one is
  // {@code state}; what is known of its content comes from the write that made it and from the
  // reads that observed it (a store that sets the version itself shows it only to the next read).
  long state;
  /** Some row of the key carries a version: the store keeps one, and its state includes it. */
  boolean versioned;
  boolean hasCurValue;
  public long curValue;
  boolean hasCurVersion;
  public long curVersion;

  // Last successful write, for evidence.
  Ev lastWrite;
  Observed lastWriteRead;
  Exec lastWriteExec;

  // Recent states before the current one, for reads whose row left their JVM after a later
  // write's (they observed an older state): a bounded tolerance to rows out of order, not a
  // window on staleness, which is judged by the state a read observed however old it is.
  static final int RECENT = 64;
  long[] recentIndex = new long[2]; // grown to RECENT: most keys of a large key space see few writes
  long[] recentVersion = new long[2];
  long[] recentValue = new long[2];
  byte[] recentKnown = new byte[2];
  long recentCount;
  static final byte KNOWN_VERSION = 1;
  static final byte KNOWN_VALUE = 2;

  // States read before their write arrived: versions and values, apart.
  final long[] aheadVersions = new long[16];
  int aheadVersionCount;
  final long[] aheadValues = new long[16];
  int aheadValueCount;

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

  // The store's version counter. A store that moves the version on by one with every write (an
  // UPDATE's {@code version = version + 1}, JPA's {@code @Version}) gives state i the version
  // offset + i, so a read's version names the state it observed even where no row showed that
  // state's version: a read that left its JVM after a write's row but saw the state before it (the
  // write's transaction had not committed yet) is placed exactly. The counter is assumed from the
  // first version seen, confirmed by a read that shows a later state's version where the counter
  // puts it, and dropped for good at the first row that disagrees (a version the service computes
  // and reuses, timestamps, hashes): then the chain falls back to the versions rows show.
  static final byte COUNTER_ASSUMED = 1;
  static final byte COUNTER_CONFIRMED = 2;
  static final byte COUNTER_OFF = 3;
  /**
   * The key's first version came from a read of only a version, after writes that carried none and
   * before the last writer's request answered: it may be of the current state or of the one before
   * it (a write not committed yet), so reads of only a version are not placed until one comes after
   * the last writer answered (or a row shows a state's version).
   */
  static final byte COUNTER_UNANCHORED = 4;
  byte counter;
  long counterOffset;
  /** The state index the offset was taken at: no read can name an earlier one. */
  long counterFrom;

  /** The counter gives {@code state} the version {@code version} (a first version seen, a re-base). */
  void counterAt(long state, long version) {
    if (counter == COUNTER_OFF) {
      return;
    }
    counterOffset = version - state;
    counterFrom = state;
    if (counter == 0 || counter == COUNTER_UNANCHORED) {
      counter = COUNTER_ASSUMED;
    }
  }

  boolean counterOn() {
    return counter == COUNTER_ASSUMED || counter == COUNTER_CONFIRMED;
  }

  /** The slot of the recent state with index {@code index}, or -1. */
  int recentSlot(long index) {
    int len = recentIndex.length;
    long back = state - index;
    if (back < 1 || back > Math.min(recentCount, len)) {
      return -1;
    }
    int i = (int) Math.floorMod(recentCount - back, (long) len);
    return recentIndex[i] == index ? i : -1;
  }

  KeyState(String key, long hash) {
    this.key = key;
    this.hash = hash;
  }

  /**
   * Adds the ledger of {@code o}, the same key's state in an instance that saw only its
   * executions ({@link ExecutionStage}): requests and confirmations.
   */
  void addLedger(KeyState o) {
    if (reads + writes > 0 && o.reads + o.writes > 0) {
      throw new IllegalStateException("key " + key + " is in two partitions");
    }
    requests += o.requests;
    conflictResponses += o.conflictResponses;
    confirmations += o.confirmations;
    duplicateConfirmations += o.duplicateConfirmations;
    confirmedUnits += o.confirmedUnits;
    duplicateUnits += o.duplicateUnits;
    effectsUnknown += o.effectsUnknown;
  }

  /** Requests, or reads if the capture has no request rows with keys. */
  public long traffic() {
    return requests > 0 ? requests : reads;
  }

  public long conflictScore() {
    return writeConflicts + staleWrites + casViolations;
  }

  /** The current state becomes a recent one: a write replaced it. */
  void pushCurrent() {
    if (recentCount == recentIndex.length && recentCount < RECENT) {
      int n = recentIndex.length * 2;
      recentIndex = java.util.Arrays.copyOf(recentIndex, n);
      recentVersion = java.util.Arrays.copyOf(recentVersion, n);
      recentValue = java.util.Arrays.copyOf(recentValue, n);
      recentKnown = java.util.Arrays.copyOf(recentKnown, n);
    }
    int i = (int) (recentCount++ % recentIndex.length);
    recentIndex[i] = state;
    recentVersion[i] = curVersion;
    recentValue[i] = curValue;
    recentKnown[i] = (byte) ((hasCurVersion ? KNOWN_VERSION : 0) | (hasCurValue ? KNOWN_VALUE : 0));
  }

  /**
   * The slot of the latest recent state a read of {@code version} (if {@code hasVersion}) and
   * {@code value} (if {@code hasValue}) observed, or -1: matched on the version where the read has
   * one, else on the value; a known value must agree too. With {@code valueWhereNoVersion}, a state
   * whose version no row showed (its write carried none, and no read saw it before the next write
   * came) is matched on its value: a read that left after that next write's row, but before its
   * commit, saw it.
   */
  int findRecent(boolean hasVersion, long version, boolean hasValue, long value, boolean valueWhereNoVersion) {
    int len = recentIndex.length;
    int n = (int) Math.min(recentCount, len);
    for (int j = 1; j <= n; j++) {
      int i = (int) Math.floorMod(recentCount - j, (long) len);
      boolean kv = (recentKnown[i] & KNOWN_VERSION) != 0;
      boolean kval = (recentKnown[i] & KNOWN_VALUE) != 0;
      boolean byValue = hasValue && kval && recentValue[i] == value;
      if (hasVersion ? kv ? recentVersion[i] == version && (!hasValue || !kval || recentValue[i] == value)
          : valueWhereNoVersion && byValue : byValue) {
        return i;
      }
    }
    return -1;
  }

  /** Removes {@code state} from the states read ahead of their write; true if it was there. */
  boolean takeAhead(boolean version, long state) {
    long[] a = version ? aheadVersions : aheadValues;
    int n = Math.min(version ? aheadVersionCount : aheadValueCount, a.length);
    for (int i = 0; i < n; i++) {
      if (a[i] == state) {
        a[i] = a[n - 1];
        if (version) {
          aheadVersionCount = n - 1;
        } else {
          aheadValueCount = n - 1;
        }
        return true;
      }
    }
    return false;
  }

  void rememberAhead(boolean version, long state) {
    long[] a = version ? aheadVersions : aheadValues;
    int count = version ? aheadVersionCount : aheadValueCount;
    if (count < a.length) {
      a[count] = state;
      if (version) {
        aheadVersionCount++;
      } else {
        aheadValueCount++;
      }
    } else {
      a[(int) Math.floorMod(state, (long) a.length)] = state;
    }
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

  /** A write stored {@code version} again: a state with that version is current, not consumed. */
  void casForget(long version) {
    int n = Math.min(casCount, casRecent.length);
    for (int i = 0; i < n; i++) {
      if (casRecent[i] == version) {
        casRecent[i] = casRecent[n - 1];
        casCount = n - 1;
        return;
      }
    }
  }

  /**
   * The invariant check for this key, or {@code null} if the rows do not show it in the service's
   * units: hashed (non-numeric) values, no I0, a change without a value, or a confirmed request
   * whose effect is not visible.
   */
  public Invariant invariant() {
    if (hashedValues || !hasI0Value || ledgerBroken || effectsUnknown > 0 || !hasCurValue) {
      return null;
    }
    // In the service's own units: a withdrawal of 3 confirmed is 3 units, not one.
    long confirmed = confirmedUnits - duplicateUnits;
    long expected = i0Value + externalUnits - curValue;
    return new Invariant("value", i0Value + externalUnits, curValue, confirmed, expected, confirmed - expected);
  }

  /**
   * @param basis "value": I0 and remaining are stock levels the rows show
   * @param confirmed the effects of the distinct confirmed requests in the service's units (the
   *     amount of each one's successful write, else its value read minus its value written)
   * @param expected I0 + changes outside requests - remaining
   * @param mismatch confirmed - expected: positive = lost updates, negative = over-applied
   */
  public record Invariant(String basis, long initial, long remaining, long confirmed, long expected, long mismatch) {}
}
