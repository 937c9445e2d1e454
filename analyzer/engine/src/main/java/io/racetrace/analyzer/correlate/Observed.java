package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;

/**
 * What one read observed: which state of its key's chain ({@code KeyState}) it saw, and what is
 * known of that state's content (from the read itself and from the write that made the state). A
 * read that showed neither version nor value observed a state nobody can name ({@link #BLANK});
 * one that showed a state no traced write has produced yet saw the result of a write whose row
 * comes later ({@link #AHEAD}); one that showed a replaced state too old to be among the recent
 * ones is {@link #OLDER}.
 *
 * <p>Memory: one per open read-modify-write window, with a copy of the read row.
 */
public final class Observed {
  public static final long AHEAD = -1;
  public static final long OLDER = -2;
  public static final long BLANK = -3;

  /** The read row (a copy). */
  public final Ev read;
  /** Index of the state in the key's chain, or {@link #AHEAD}, {@link #OLDER}, {@link #BLANK}. */
  public final long state;
  public final boolean hasVersion;
  public final long version;
  public final boolean hasValue;
  public final long value;
  /**
   * The key's current state when the read came: states after it were applied after the read, so
   * the read saw one of them only if its write's commit was visible before its row.
   */
  public long stateAtRead = Long.MAX_VALUE;

  public Observed(Ev read, long state, boolean hasVersion, long version, boolean hasValue, long value) {
    this.read = read;
    this.state = state;
    this.hasVersion = hasVersion;
    this.version = version;
    this.hasValue = hasValue;
    this.value = value;
  }

  /** Tied to a state of the chain (the current one or a recent one, or an older one by its version). */
  public boolean placed() {
    return state >= 0 || state == OLDER;
  }
}
