package io.racetrace.analyzer.correlate;

import io.racetrace.analyzer.read.Ev;

/**
 * What the {@link Correlator} hands on: rows placed in their executions, in merged time order. A
 * detector set implements it; so does a router that spreads keys over several detector sets (a
 * key-partitioned run), since everything here is either one key's or one execution's.
 */
public interface ExecutionSink {
  /** An ARRIVAL row (a request entered a worker queue); its request gets the time when it completes. */
  void onArrival(Ev arrival);

  /**
   * A READ row; {@code exec} is its execution, {@code null} outside requests.
   *
   * @return what it observed of its key's state, kept in the execution's window until the write of
   *     the same key and attempt closes it; {@code null} opens no window (no key, a failed read)
   */
  Observed onRead(Ev read, Exec exec);

  /** {@link #shownState}: what the read shows is what is known of its key's current state. */
  int SHOWS_CURRENT = 0;
  /** {@link #shownState}: the version the store's counter gives the state after the current one. */
  int SHOWS_NEXT = 1;
  /** {@link #shownState}: anything else, also where nothing of the current state is known. */
  int SHOWS_OTHER = 2;

  /**
   * What {@code read} shows against its key's current state, before it is handed on: a key no row
   * has shown yet, or a state whose content no row showed, explains no read ({@link #SHOWS_OTHER}).
   * Changes nothing.
   */
  int shownState(Ev read);

  /** A WRITE row; {@code read} is what its window's read observed, {@code null} for a write without one. */
  void onWrite(Ev write, Exec exec, Observed read);

  /**
   * A WRITE row whose transaction rolled back (or whose commit threw, or which never ended in the
   * capture): it took no effect, but it was a storage attempt.
   */
  void onDiscardedWrite(Ev write, Exec exec);

  /** An execution completed by its REQUEST row ({@link Exec#request}). */
  void onExecution(Exec exec);
}
