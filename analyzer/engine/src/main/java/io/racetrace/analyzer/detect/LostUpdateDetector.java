package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.correlate.ExecutionSink;
import io.racetrace.analyzer.correlate.Observed;
import io.racetrace.analyzer.model.Results.LostUpdateResult;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lost updates: successful writes by a request whose read of the key observed a state that was no
 * longer current when the write applied. Defined here, once, for every shape of probe file.
 *
 * <p>The state model: per key, a chain of states, one per successful write in merged end-time
 * order ({@link KeyState}). What is known of a state's content (version and stock) comes from the
 * write that made it (its written version and value, when the probe extracts them) and from the
 * reads that observed it: a store that sets the version itself (a void {@code UPDATE ... version =
 * version + 1}) shows the new version to the next read, and the analyzer takes it from there. A
 * read observes the current state when its content agrees with it; one that shows an older
 * state's content (its row left the JVM after a later write's) observed that one; one that shows a
 * state no traced write has produced yet is ahead of its write's row (below).
 *
 * <p>Judging a successful write, by the state its window's read observed:
 * <ul>
 *   <li>the current state: fine, however many writes the request took;
 *   <li>another state whose content differs from the current one (another version, or another
 *       stock where the key has no version): stale, with no window, however old; it erased the
 *       transitions and the units in between. Where the key has versions, a write that carries no
 *       version moved the version on (the store's counter). Two states of equal content (a value
 *       that came back, a service-set version two writes shared) are one state to the write: fine;
 *   <li>a read that showed neither version nor value: undecided, counted apart, never guessed
 *       (a conditional one too: the version it expected is the service's claim, not what its read saw);
 *   <li>a conditional write (expected version set) that succeeded: fine unless another successful
 *       conditional write already used the same expected version, or its read observed a replaced
 *       state: then the store's compare-and-set did not hold (a storage transaction problem).
 *       Judging by expected versions keeps CAS writes immune to rows that exit out of order;
 *   <li>a failed conditional write (CONFLICT) is a conflict, never an anomaly.
 * </ul>
 * A stale write whose overwritten predecessor read the same state is the validation plan's
 * interleaving (A reads v, B reads v, A writes, B writes), counted in {@code sameVersionPairs}.
 *
 * <p>Reads before a commit: a write's row leaves when the DAO returns, usually inside its
 * transaction, so a read after it may still see the state before it. Where the store counts
 * versions ({@link KeyState#counter}) a read's version names its state; otherwise a read showing
 * the previous state's content is tied to it, and one showing only what the current and previous
 * states share, while the last writer's request is open, is undecided.
 *
 * <p>Ordering: relies on end-time order approximating commit order. A window that read a state no
 * traced write has produced yet (its write's row left the JVM late) is counted in {@code
 * aheadWrites}, not as an anomaly, and when that late write arrives it is put before the writes
 * that read its result instead of being judged stale.
 *
 * <p>Memory: per key ({@link KeyState}); the evidence kept is the last successful write per key
 * and at most {@link #MAX_EXAMPLES} examples.
 */
public final class LostUpdateDetector implements Detector<LostUpdateDetector> {
  static final int MAX_EXAMPLES = 5;

  private final List<Evidence> examples = new ArrayList<>();
  private long staleWrites;
  private long sameVersionPairs;
  private long casViolations;
  private long erasedTransitions;
  private long erasedUnits;
  private long windows;
  private long overlappingWindows;
  /** Lost updates whose window overlapped an earlier one on its key; the others read a state older than a returned write. */
  private long lostInOverlappingWindows;
  private long unpairedWrites;
  private long undecidedWrites;
  private long relativeWrites;
  private long aheadWrites;
  private long externalWrites;

  /** A read of {@code k}: the state it observed. The first thing seen of a key starts its chain. */
  public Observed onRead(Ev r, KeyState k) {
    Observed o = observe(r, k);
    o.stateAtRead = k.state;
    return o;
  }

  private Observed observe(Ev r, KeyState k) {
    k.reads++;
    if (r.has(TraceSchema.F_VALUE_HASHED)) {
      k.hashedValues = true;
    }
    boolean hasV = r.has(TraceSchema.F_READ_VERSION);
    boolean hasVal = r.has(TraceSchema.F_VALUE);
    if (hasV) {
      k.versioned = true;
    }
    if (r.showsHeldWrite && (hasV || hasVal)) {
      // Of a state whose write the correlator still holds: placed when its own write comes.
      return new Observed(r.copy(), Observed.AHEAD, hasV, r.readVersion, hasVal, r.value);
    }
    if (!k.seen) {
      k.seen = true;
      if (hasV) {
        k.rebase(r.readVersion);
        k.counterAt(k.state, r.readVersion);
      }
    } else if (hasV && !hasVal && !k.hasCurVersion && (k.counter == 0 || k.counter == KeyState.COUNTER_UNANCHORED)
        && k.state > 0 && lastWriterOpen(k)) {
      k.counter = KeyState.COUNTER_UNANCHORED; // until a read comes after the last writer answered
      return new Observed(r.copy(), Observed.BLANK, false, 0, false, 0);
    } else if (hasV && (k.counter == 0 || k.counter == KeyState.COUNTER_UNANCHORED)) {
      // The first version of a key whose first rows showed none: of the current state, or of the
      // one before it where the read's stock is not the current one (a read before the last
      // write's commit).
      // Where a write made the current state's version known, that version anchors the counter
      // and the read is placed by it (an older version is of an earlier state).
      if (k.hasCurVersion && !k.versionsUnordered) {
        k.counterAt(k.state, k.curVersion);
      } else {
        boolean before = k.state > 0 && hasVal && k.hasCurValue && r.value != k.curValue;
        k.counterAt(before ? k.state - 1 : k.state, r.readVersion);
      }
    }
    Ev copy = r.copy();
    if (!hasV && !hasVal) {
      return new Observed(copy, Observed.BLANK, false, 0, false, 0);
    }
    if (hasV && k.counterOn()) {
      Observed o = byCounter(copy, k, r.readVersion, hasVal, r.value);
      if (o != null) {
        return o;
      }
    }
    if (hasV != hasVal && lastWriterOpen(k) && sharedWithPrevious(k, hasV, hasV ? r.readVersion : r.value)) {
      // The current state and the one before it agree on what the read shows (a version a stale
      // write reused, a stock two writes left) and differ in the rest: a read that left after the
      // last write's row may still have seen the previous state (that write's transaction had not
      // committed). The rows cannot say which.
      return new Observed(copy, Observed.BLANK, false, 0, false, 0);
    }
    if (matchesCurrent(k, hasV, r.readVersion, hasVal, r.value)) {
      // What the read shows of the current state is now known of it (a version the store set itself).
      if (hasV && !k.hasCurVersion) {
        k.hasCurVersion = true;
        k.curVersion = r.readVersion;
      }
      if (hasVal && !k.hasCurValue) {
        k.hasCurValue = true;
        k.curValue = r.value;
        if (startsLedger(k)) {
          k.hasI0Value = true; // the first stock shown, with nothing before it but writes outside requests: I0
          k.i0Value = r.value;
        }
      }
      return current(copy, k);
    }
    int i = k.findRecent(hasV, r.readVersion, hasVal, r.value, true);
    if (i >= 0) {
      return recent(copy, k, i); // an older state: this read's row left its JVM after a later write's
    }
    if (hasV && k.hasCurVersion && !k.versionsUnordered && k.hasVersionBase && r.readVersion < k.curVersion
        && r.readVersion >= k.versionBase) {
      // Versions grow between re-bases (a restock may set them back): an older version is a
      // replaced state, however many writes ago.
      return new Observed(copy, Observed.OLDER, true, r.readVersion, hasVal, r.value);
    }
    int prev = k.recentSlot(k.state - 1);
    if (prev >= 0 && unknownButCompatible(k, prev, hasV, r.readVersion, hasVal, r.value)) {
      // Not the current state, and the one before it showed no row what this read shows: the read
      // saw it before the last write's commit (a read lags at most that write behind the rows).
      if (hasV) {
        k.recentVersion[prev] = r.readVersion;
        k.recentKnown[prev] |= KeyState.KNOWN_VERSION;
      }
      if (hasVal) {
        k.recentValue[prev] = r.value;
        k.recentKnown[prev] |= KeyState.KNOWN_VALUE;
      }
      return recent(copy, k, prev);
    }
    // A state no traced write has produced yet: its write's row is still to come.
    k.rememberAhead(hasV, hasV ? r.readVersion : r.value);
    return new Observed(copy, Observed.AHEAD, hasV, r.readVersion, hasVal, r.value);
  }

  /**
   * The stock a read shows of the current state can be I0: the ledger has not started, and nothing
   * it cannot account for happened (a request's write before it breaks the ledger). That is the
   * key's first state, or the state writes outside requests left before any request changed the
   * key: adjustments by an amount (whose rows show no stock) are the baseline's history, not changes
   * it must account for. Without amounts only the first state can be: a second write outside
   * requests either shows its stock (and starts the ledger itself) or breaks it.
   */
  private static boolean startsLedger(KeyState k) {
    return !k.hasI0Value && !k.ledgerBroken;
  }

  /**
   * The state a read of {@code version} observed by the store's counter ({@link KeyState#counter}),
   * or {@code null} where the counter does not hold (then it is off for the key).
   */
  private static Observed byCounter(Ev read, KeyState k, long version, boolean hasVal, long value) {
    long j = version - k.counterOffset;
    if (j < k.counterFrom) {
      k.counter = KeyState.COUNTER_OFF;
      return null;
    }
    if (j == k.state) {
      if (hasVal && k.hasCurValue && value != k.curValue) {
        k.counter = KeyState.COUNTER_OFF;
        return null;
      }
      if (j > k.counterFrom) {
        k.counter = KeyState.COUNTER_CONFIRMED;
      }
      if (!k.hasCurVersion) {
        k.hasCurVersion = true;
        k.curVersion = version;
      }
      if (hasVal && !k.hasCurValue) {
        k.hasCurValue = true;
        k.curValue = value;
        if (startsLedger(k)) {
          k.hasI0Value = true;
          k.i0Value = value;
        }
      }
      return current(read, k);
    }
    if (j < k.state) {
      int i = k.recentSlot(j);
      if (i < 0) {
        // Older than the recent states: its content beyond what the read shows is not kept, so
        // only a counter the rows have confirmed names it.
        return k.counter == KeyState.COUNTER_CONFIRMED ? new Observed(read, j, true, version, hasVal, value) : null;
      }
      boolean kv = (k.recentKnown[i] & KeyState.KNOWN_VERSION) != 0;
      boolean kval = (k.recentKnown[i] & KeyState.KNOWN_VALUE) != 0;
      if (kv && k.recentVersion[i] != version || hasVal && kval && k.recentValue[i] != value) {
        k.counter = KeyState.COUNTER_OFF;
        return null;
      }
      if (!kv) {
        k.recentVersion[i] = version; // learnt late: no row showed this state's version before
        k.recentKnown[i] |= KeyState.KNOWN_VERSION;
      }
      return recent(read, k, i);
    }
    if (k.counter == KeyState.COUNTER_CONFIRMED) {
      // A state no traced write has produced yet: its write's row is still to come.
      k.rememberAhead(true, version);
      return new Observed(read, Observed.AHEAD, true, version, hasVal, value);
    }
    k.counter = KeyState.COUNTER_OFF; // versions that run ahead of the writes: not a counter
    return null;
  }

  /**
   * The request of the key's last write has not answered yet, so its transaction may not have
   * committed: a read now may still see the state before it. Once the request answered (its
   * REQUEST row came), the write is taken as committed; a write outside requests is at once, and
   * so is one whose COMMIT row came (with transaction probes).
   */
  private static boolean lastWriterOpen(KeyState k) {
    return k.lastWriteExec != null && k.lastWriteExec.request == null && !(k.lastWrite != null && k.lastWrite.committed);
  }

  /** What the read shows agrees with what is known of the recent state in {@code slot}, and some of it was not known. */
  private static boolean unknownButCompatible(KeyState k, int slot, boolean hasV, long version, boolean hasVal,
      long value) {
    boolean kv = (k.recentKnown[slot] & KeyState.KNOWN_VERSION) != 0;
    boolean kval = (k.recentKnown[slot] & KeyState.KNOWN_VALUE) != 0;
    boolean agrees = (!hasV || !kv || k.recentVersion[slot] == version) && (!hasVal || !kval || k.recentValue[slot] == value);
    return agrees && (hasV && !kv || hasVal && !kval);
  }

  /**
   * The current state and the one before it both have {@code shown} (their version if {@code
   * byVersion}, else their stock), and differ, known, in the other.
   */
  private static boolean sharedWithPrevious(KeyState k, boolean byVersion, long shown) {
    if (!k.hasCurVersion || !k.hasCurValue || (byVersion ? k.curVersion : k.curValue) != shown) {
      return false;
    }
    int i = k.recentSlot(k.state - 1);
    if (i < 0 || (k.recentKnown[i] & KeyState.KNOWN_VERSION) == 0 || (k.recentKnown[i] & KeyState.KNOWN_VALUE) == 0) {
      return false;
    }
    return byVersion ? k.recentVersion[i] == shown && k.recentValue[i] != k.curValue
        : k.recentValue[i] == shown && k.recentVersion[i] != k.curVersion;
  }

  /** The read's content agrees with what is known of the current state. */
  /**
   * What {@code r} shows against the key's current state ({@link ExecutionSink#shownState}): its
   * counter's version, or the version or value a row showed of it, and nothing that differs, is
   * the current state; the counter's next version is the next. Changes nothing.
   */
  static int shownState(Ev r, KeyState k) {
    boolean hasV = r.has(TraceSchema.F_READ_VERSION);
    boolean hasVal = r.has(TraceSchema.F_VALUE);
    if (hasVal && k.hasCurValue && r.value != k.curValue) {
      return ExecutionSink.SHOWS_OTHER;
    }
    if (hasV && k.counterOn()) {
      long j = r.readVersion - k.counterOffset;
      return j == k.state ? ExecutionSink.SHOWS_CURRENT : j == k.state + 1 ? ExecutionSink.SHOWS_NEXT
          : ExecutionSink.SHOWS_OTHER;
    }
    if (hasV && k.hasCurVersion && r.readVersion != k.curVersion) {
      return ExecutionSink.SHOWS_OTHER;
    }
    return hasV && k.hasCurVersion || hasVal && k.hasCurValue ? ExecutionSink.SHOWS_CURRENT : ExecutionSink.SHOWS_OTHER;
  }

  private static boolean matchesCurrent(KeyState k, boolean hasV, long version, boolean hasVal, long value) {
    if (hasV && k.hasCurVersion && version != k.curVersion) {
      return false;
    }
    if (hasVal && k.hasCurValue && value != k.curValue) {
      return false;
    }
    // The current state's version is not known (its write carried none): a version a recent state
    // had is that state's, seen late; any other is the new one the store set.
    return !(hasV && !k.hasCurVersion && k.findRecent(true, version, hasVal, value, false) >= 0);
  }

  private static Observed current(Ev read, KeyState k) {
    return new Observed(read, k.state, k.hasCurVersion, k.curVersion, k.hasCurValue, k.curValue);
  }

  private static Observed recent(Ev read, KeyState k, int i) {
    boolean kv = (k.recentKnown[i] & KeyState.KNOWN_VERSION) != 0;
    boolean kval = (k.recentKnown[i] & KeyState.KNOWN_VALUE) != 0;
    boolean hasV = read.has(TraceSchema.F_READ_VERSION);
    boolean hasVal = read.has(TraceSchema.F_VALUE);
    return new Observed(read, k.recentIndex[i], hasV || kv, hasV ? read.readVersion : k.recentVersion[i],
        hasVal || kval, hasVal ? read.value : k.recentValue[i]);
  }

  /**
   * The state a write's own row says its read observed, where the read showed no stock: a write
   * that carries its value and the units it took read {@code value + amount}. Where that is not
   * the stock of the state the read was tied to, but that of a state applied after the read (the
   * latest such), and what the read showed (its version) agrees with that state, the read observed
   * that one: the states share what the read showed (a stale write reused the version) and that
   * one's transaction had committed by the read, its COMMIT row still to come. Otherwise {@code
   * read}. Called before the write is judged and its effect taken, so both see the same state.
   */
  /**
   * The state a write's read observed, reconsidered when the write comes: named by the write's
   * own row ({@link #placedByWrite}) where it carries its value and amount; else, where the read
   * showed only its version (only its stock), the state it was tied to is not the current one, and
   * the current one, applied after the read, has what the read showed with another stock (another
   * version), the read may have seen either (a commit is visible before its row): undecided
   * ({@link Observed#BLANK}), its effect only what the write's amount says. Conditional writes are
   * judged by their expected version, as they are.
   */
  public static Observed reconsidered(Ev w, Observed read, KeyState k) {
    if (k == null || read == null || read.state < 0 || read.state == k.state || w.has(TraceSchema.F_EXPECTED_VERSION)
        || !w.has(TraceSchema.F_VALUE)) {
      return read;
    }
    boolean shownV = read.read.has(TraceSchema.F_READ_VERSION);
    boolean shownVal = read.read.has(TraceSchema.F_VALUE);
    if (!shownVal && w.has(TraceSchema.F_AMOUNT) && !k.hashedValues) {
      return placedByWrite(w, read, k); // the write's own row says which
    }
    if (shownV == shownVal || k.state <= read.stateAtRead) {
      return read;
    }
    boolean shares = shownV
        ? k.hasCurVersion && k.curVersion == read.read.readVersion && read.hasValue && k.hasCurValue
            && read.value != k.curValue
        : k.hasCurValue && k.curValue == read.read.value && read.hasVersion && k.hasCurVersion
            && read.version != k.curVersion;
    return shares ? new Observed(read.read, Observed.BLANK, false, 0, false, 0) : read;
  }

  public static Observed placedByWrite(Ev w, Observed read, KeyState k) {
    if (k == null || read == null || read.state < 0 || read.state == k.state || read.read.has(TraceSchema.F_VALUE)
        || !w.has(TraceSchema.F_VALUE) || !w.has(TraceSchema.F_AMOUNT) || k.hashedValues) {
      return read;
    }
    long readStock = w.value + w.amount;
    if (read.hasValue && read.value == readStock) {
      return read;
    }
    boolean byVersion = read.read.has(TraceSchema.F_READ_VERSION);
    long version = read.read.readVersion;
    if (k.state > read.stateAtRead && k.hasCurValue && k.curValue == readStock
        && (!byVersion || k.hasCurVersion && k.curVersion == version)) {
      return current(read.read, k);
    }
    for (long j = k.state - 1; j > Math.max(read.state, read.stateAtRead); j--) {
      int i = k.recentSlot(j);
      if (i < 0) {
        break;
      }
      boolean kv = (k.recentKnown[i] & KeyState.KNOWN_VERSION) != 0;
      boolean kval = (k.recentKnown[i] & KeyState.KNOWN_VALUE) != 0;
      if (kval && k.recentValue[i] == readStock && (!byVersion || kv && k.recentVersion[i] == version)) {
        return recent(read.read, k, i);
      }
    }
    return read;
  }

  /** A read that was ahead of the chain: the state it showed may have arrived since. */
  private static Observed resolveAhead(Observed o, KeyState k) {
    if (o.hasVersion && k.counter == KeyState.COUNTER_CONFIRMED && o.version - k.counterOffset <= k.state) {
      Observed placed = byCounter(o.read, k, o.version, o.hasValue, o.value);
      if (placed != null) {
        k.takeAhead(true, o.version);
        return placed;
      }
    }
    // Everything the read showed must be the current state's: a reused version with another stock is not it.
    boolean now = (!o.hasVersion || k.hasCurVersion && k.curVersion == o.version)
        && (!o.hasValue || k.hasCurValue && k.curValue == o.value) && (o.hasVersion || o.hasValue);
    int i = now ? -1 : k.findRecent(o.hasVersion, o.version, o.hasValue, o.value, true);
    if (!now && i < 0) {
      return o;
    }
    k.takeAhead(o.hasVersion, o.hasVersion ? o.version : o.value);
    return now ? current(o.read, k) : recent(o.read, k, i);
  }

  /**
   * A write of {@code k}; {@code read} opened its window ({@code null} if none was seen) and
   * {@code exec} is its request's execution ({@code null} for a write outside requests).
   *
   * @return true if the write was a lost update (stale or a CAS violation)
   */
  public boolean onWrite(Ev w, Observed read, Exec exec, KeyState k) {
    k.writes++;
    boolean overlapped = false;
    if (read != null) {
      windows++;
      k.windows++;
      if (read.read.startWall < k.lastWindowEnd) {
        overlapped = true;
        overlappingWindows++;
        k.overlappingWindows++;
      }
      // A window lasts until its write commits, where transaction probes show it: a read before
      // the commit still sees the state before the write.
      k.lastWindowEnd = Math.max(k.lastWindowEnd, Math.max(w.endWall, w.commitWall));
    }
    if (w.result == Result.CONFLICT) {
      k.writeConflicts++;
      return false;
    }
    if (w.result == Result.TIMEOUT || w.result == Result.ERROR) {
      k.storageFaults++;
      return false;
    }
    k.writeSuccess++;
    if (w.has(TraceSchema.F_VALUE_HASHED)) {
      k.hashedValues = true;
    }
    if (w.has(TraceSchema.F_VALUE) && !w.has(TraceSchema.F_VALUE_HASHED) && w.value < 0) {
      k.negativeValuesWritten++;
    }
    if (w.has(TraceSchema.F_WRITTEN_VERSION) || w.has(TraceSchema.F_EXPECTED_VERSION)) {
      k.versioned = true;
    }
    if (exec == null) {
      externalWrite(w, k);
      return false;
    }
    boolean conditional = w.has(TraceSchema.F_EXPECTED_VERSION);
    if (!k.seen) {
      k.seen = true;
      if (conditional) {
        k.hasCurVersion = true;
        k.curVersion = w.expectedVersion;
        k.counterAt(k.state, w.expectedVersion);
      }
    }
    if (read != null && read.state == Observed.AHEAD) {
      read = resolveAhead(read, k);
    }
    if (!conditional && w.has(TraceSchema.F_AMOUNT) && !w.has(TraceSchema.F_VALUE)) {
      // A relative write (UPDATE ... SET qty = qty - ?, a void debit): it takes its amount from
      // whatever stock is current when it applies, so it erases no one's update, whatever state its
      // read saw. Not judged; its amount moves the stock on.
      if (read == null) {
        unpairedWrites++;
        k.unpairedWrites++;
      } else {
        relativeWrites++;
        k.relativeWrites++;
      }
      advance(w, read, exec, k);
      return false;
    }
    if (!conditional && read != null && read.state != Observed.BLANK && reordered(w, read, k)) {
      // Another window already read what this write wrote: this row left its JVM late, after rows
      // of writes that followed it. Its place in the chain is before them: leave the state alone.
      aheadWrites++;
      k.aheadWrites++;
      return false;
    }
    boolean lost = false;
    if (read != null && read.state == Observed.BLANK) {
      undecidedWrites++; // the read showed nothing: which state it observed, no row says
      k.undecidedWrites++;
      if (conditional && !k.casSeen(w.expectedVersion)) {
        k.casRemember(w.expectedVersion);
      }
    } else if (conditional) {
      boolean consumed = k.casSeen(w.expectedVersion);
      if (consumed || read != null && read.placed() && judge(read, k) == STALE) {
        lost = true;
        casViolations++;
        k.casViolations++;
        erasedTransitions++;
        k.erasedTransitions++;
        offer(new Evidence("cas_violation", k, evidence(k.lastWriteRead), k.lastWrite, k.lastWriteExec,
            evidence(read), w.copy(), exec, 0, 1, null, consumed));
      }
      if (!consumed) {
        k.casRemember(w.expectedVersion);
      }
    } else if (read == null) {
      unpairedWrites++; // a write without a read in its window: not a read-modify-write
      k.unpairedWrites++;
    } else if (read.state == Observed.AHEAD) {
      aheadWrites++; // a state no traced write has produced yet: its write's row is still to come
      k.aheadWrites++;
    } else {
      int verdict = judge(read, k);
      if (verdict == UNDECIDED) {
        undecidedWrites++; // what the rows show does not tell the state it observed from the current one
        k.undecidedWrites++;
      } else if (verdict == STALE) {
        lost = true;
        stale(w, read, exec, k);
      }
    }
    if (lost && overlapped) {
      lostInOverlappingWindows++;
    }
    advance(w, read, exec, k);
    return lost;
  }

  private static final int FINE = 0;
  private static final int STALE = 1;
  private static final int UNDECIDED = 2;

  /** Was the state {@code read} observed still current, by content? */
  private static int judge(Observed read, KeyState k) {
    if (read.state == k.state) {
      return FINE;
    }
    if (k.versioned) {
      if (read.hasVersion && k.hasCurVersion) {
        if (read.version != k.curVersion) {
          return STALE;
        }
        // Two states with one version (a service that sets versions, and a stale write that
        // reused one): the stock tells them apart.
        if (read.hasValue && k.hasCurValue) {
          return read.value != k.curValue ? STALE : FINE;
        }
        return UNDECIDED;
      }
      return STALE; // a write that carried no version moved the version on: the store's own counter
    }
    if (read.hasValue && k.hasCurValue) {
      return read.value != k.curValue ? STALE : FINE;
    }
    return UNDECIDED;
  }

  /** The write's own result was read ahead of it, and the state has moved past its read since. */
  private static boolean reordered(Ev w, Observed read, KeyState k) {
    boolean byVersion = read.hasVersion;
    boolean hasWritten = byVersion ? w.has(TraceSchema.F_WRITTEN_VERSION) : w.has(TraceSchema.F_VALUE);
    return hasWritten && read.state != k.state && k.takeAhead(byVersion, byVersion ? w.writtenVersion : w.value);
  }

  private void stale(Ev w, Observed read, Exec exec, KeyState k) {
    boolean numeric = read.hasValue && k.hasCurValue && !k.hashedValues;
    long units = numeric ? read.value - k.curValue : 0;
    long byVersion = read.hasVersion && k.hasCurVersion && !k.versionsUnordered ? k.curVersion - read.version : 0;
    long transitions = byVersion > 0 ? byVersion : read.state >= 0 ? k.state - read.state : 1;
    staleWrites++;
    k.staleWrites++;
    erasedTransitions += transitions;
    k.erasedTransitions += transitions;
    erasedUnits += units;
    k.erasedUnits += units;
    Observed prev = k.lastWriteRead;
    boolean sameVersion = prev != null && (prev.state >= 0 && read.state >= 0 ? prev.state == read.state
        : read.hasVersion ? prev.hasVersion && prev.version == read.version
        : prev.hasValue && read.hasValue && prev.value == read.value);
    if (sameVersion) {
      sameVersionPairs++;
      k.sameVersionPairs++;
    }
    if (exec != null) {
      exec.staleWrites++;
    }
    Ev prevRead = evidence(prev);
    long span = w.endWall - Math.min(read.read.startWall, prevRead != null ? prevRead.startWall : read.read.startWall);
    boolean shown = numeric && read.read.has(TraceSchema.F_VALUE); // the timeline can show n - m
    offer(new Evidence("lost_update", k, prevRead, k.lastWrite, k.lastWriteExec, read.read, w.copy(), exec,
        (sameVersion ? 0 : 1L << 62) + Math.max(0, span), transitions, shown ? units : null, false));
  }

  /** The write's result becomes the key's current state. */
  private static void advance(Ev w, Observed read, Exec exec, KeyState k) {
    if (read != null && read.read.has(TraceSchema.F_READ_VERSION) && w.has(TraceSchema.F_WRITTEN_VERSION)
        && w.writtenVersion <= read.read.readVersion) {
      // A write that stores a version not above the one it read: these versions are not counters
      // (a hashed timestamp or ETag), so their order says nothing.
      k.versionsUnordered = true;
    }
    if (exec != null && !k.hasI0Value) {
      k.ledgerBroken = true; // a request changed the key before its first stock was known
    }
    if (w.has(TraceSchema.F_WRITTEN_VERSION)) {
      k.casForget(w.writtenVersion); // a store whose compare-and-set failed may store a consumed version again
      if (exec != null && k.counterOn() && w.writtenVersion != k.counterOffset + k.state + 1) {
        k.counter = KeyState.COUNTER_OFF; // a version the service computed (a stale write reused one)
      }
    }
    boolean hadValue = k.hasCurValue && !k.hashedValues;
    long before = k.curValue;
    k.pushCurrent();
    k.state++;
    k.hasCurVersion = w.has(TraceSchema.F_WRITTEN_VERSION);
    k.curVersion = w.writtenVersion;
    k.hasCurValue = w.has(TraceSchema.F_VALUE);
    k.curValue = w.value;
    if (!w.has(TraceSchema.F_VALUE) && w.has(TraceSchema.F_AMOUNT) && hadValue) {
      // No value in the row, but the units it took: the stock it left is the one it replaced minus them.
      k.hasCurValue = true;
      k.curValue = before - w.amount;
    }
    k.lastWrite = w.copy();
    k.lastWriteRead = read;
    k.lastWriteExec = exec;
  }

  private static Ev evidence(Observed o) {
    return o == null ? null : o.read;
  }

  private void externalWrite(Ev w, KeyState k) {
    externalWrites++;
    if (w.has(TraceSchema.F_WRITTEN_VERSION)) {
      // A reset or restock that sets the version re-bases the key's chain: versions consumed
      // before it may be consumed again after it without anything being lost.
      k.casCount = 0;
      k.rebase(w.writtenVersion);
      k.counterAt(k.seen ? k.state + 1 : k.state, w.writtenVersion); // a first write sets state 0, others make a new one
    }
    if (!k.seen) {
      // A write outside requests before anything else sets the initial state (e.g. a restock).
      k.seen = true;
      k.hasCurVersion = w.has(TraceSchema.F_WRITTEN_VERSION);
      k.curVersion = w.writtenVersion;
      k.hasCurValue = w.has(TraceSchema.F_VALUE);
      k.curValue = w.value;
      if (w.has(TraceSchema.F_VALUE)) {
        k.hasI0Value = true;
        k.i0Value = w.value;
      }
      return;
    }
    if (!w.has(TraceSchema.F_VALUE)) {
      if (!w.has(TraceSchema.F_AMOUNT)) {
        k.ledgerBroken = true; // a change of unknown size
      } else if (k.hasI0Value) {
        k.externalUnits -= w.amount; // a change of known size (an adjustment), whatever the stock was
      } // else the ledger has not started: the first stock it learns is after this change
    } else if (k.hasI0Value) {
      if (k.hasCurValue) {
        if (w.has(TraceSchema.F_AMOUNT) && !k.hashedValues && k.curValue - w.value != w.amount) {
          k.amountDisagreements++; // the value, what the store holds, wins
        }
        k.externalUnits += w.value - k.curValue;
      } else {
        k.ledgerBroken = true;
      }
    } else if (!k.ledgerBroken) {
      // The first change, and the first stock known: the ledger starts from what it left.
      k.hasI0Value = true;
      k.i0Value = w.value;
    }
    advance(w, null, null, k);
  }

  /** The examples' order: the best evidence first (lowest score), then the earliest stale write. */
  static final Comparator<Evidence> BEST = Comparator.comparingLong(Evidence::score)
      .thenComparingLong(c -> c.bWrite().seq);

  private void offer(Evidence c) {
    // One example per key: the best one; then the best over all keys.
    for (Evidence x : examples) {
      if (x.key() == c.key()) {
        if (BEST.compare(c, x) < 0) {
          examples.remove(x);
          examples.add(c);
        }
        return;
      }
    }
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(c);
    } else {
      Evidence worst = examples.stream().max(BEST).orElseThrow();
      if (BEST.compare(c, worst) < 0) {
        examples.remove(worst);
        examples.add(c);
      }
    }
  }

  @Override
  public void merge(LostUpdateDetector o) {
    staleWrites += o.staleWrites;
    sameVersionPairs += o.sameVersionPairs;
    casViolations += o.casViolations;
    erasedTransitions += o.erasedTransitions;
    erasedUnits += o.erasedUnits;
    windows += o.windows;
    overlappingWindows += o.overlappingWindows;
    lostInOverlappingWindows += o.lostInOverlappingWindows;
    unpairedWrites += o.unpairedWrites;
    undecidedWrites += o.undecidedWrites;
    relativeWrites += o.relativeWrites;
    aheadWrites += o.aheadWrites;
    externalWrites += o.externalWrites;
    List<Evidence> theirs = new ArrayList<>(o.examples);
    theirs.sort(BEST);
    for (Evidence c : theirs) {
      offer(c);
    }
  }

  /**
   * Evidence of one lost update: the overwritten write A and the stale write B, with their reads,
   * and what B erased (version transitions; units {@code n - m}, or {@code null} without values);
   * for a CAS violation, whether its expected version was consumed already (else its read's state
   * was replaced).
   */
  public record Evidence(String kind, KeyState key, Ev aRead, Ev aWrite, Exec aExec, Ev bRead, Ev bWrite, Exec bExec,
      long score, long erased, Long erasedUnits, boolean versionConsumed) {}

  public long staleWrites() {
    return staleWrites;
  }

  public long casViolations() {
    return casViolations;
  }

  public long windows() {
    return windows;
  }

  public long overlappingWindows() {
    return overlappingWindows;
  }

  /** The evidence kept (at most {@link #MAX_EXAMPLES}, one per key), best first. */
  public List<Evidence> evidence() {
    List<Evidence> sorted = new ArrayList<>(examples);
    sorted.sort(BEST);
    return sorted;
  }

  /**
   * @param examples the timeline examples made of {@link #evidence()} (the report's words)
   * @param writesAfterTheirRequest the correlator's count (see {@code Correlator.Stats#writesAfterTheirRequest})
   */
  public LostUpdateResult result(List<TimelineExample> examples, long writesAfterTheirRequest) {
    return new LostUpdateResult(staleWrites + casViolations, staleWrites, sameVersionPairs, casViolations,
        erasedTransitions, erasedUnits, windows, overlappingWindows,
        windows == 0 ? 0 : (double) overlappingWindows / windows, lostInOverlappingWindows, unpairedWrites, undecidedWrites, relativeWrites,
        aheadWrites, externalWrites, writesAfterTheirRequest, examples);
  }
}
