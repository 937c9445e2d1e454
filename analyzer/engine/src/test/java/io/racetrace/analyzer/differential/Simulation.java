package io.racetrace.analyzer.differential;

import io.racetrace.analyzer.TraceBuilder;
import io.racetrace.analyzer.model.Criteria;
import io.racetrace.trace.EventKind;
import io.racetrace.trace.Result;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a {@link History}: a store and a service on several threads, and the rows the agent would
 * emit for the shape's probe file. Each tick one thread takes one atomic step (start a request,
 * read, check, write, answer); its row, if any, ends at that tick, so the rows' end-time order is
 * the order things happened in. The store and the service keep the ground truth themselves, from
 * what they did, never from the rows: which successful writes applied over a state their read no
 * longer matched, what each confirmed request took, which ids were confirmed twice, how many
 * attempts each request made.
 *
 * <p>Independence: lost updates, effects, duplicates and attempts are what the store and service
 * did. Two things are not in the store's gift and follow the rules README.md states for what rows
 * can show: which writes are undecided (a read that shows nothing, or only what two states share,
 * tracked by the row-order mirror {@code rowLast}/{@code rowPrev}/{@code rowLastWriter}), and
 * which keys can be reconciled (the initial stock and every effect visible in some row). With
 * transaction probes a write joins that row-order mirror at its COMMIT row ({@link #applied}), as
 * the documented contract says. A change to those rules must change this class too; the rest of
 * the truth must not move when the analyzer changes.
 *
 * <p>Concurrency: none; the interleaving is the schedule's.
 */
final class Simulation {
  static final long TICK_US = 10;
  static final String THROWN_CONFLICT = "org.hibernate.StaleStateException";
  static final String THROWN_FAILURE = "java.lang.IllegalStateException";

  /** The rows, the store's truth, and how many reads saw a state an uncommitted write's row had already replaced. */
  record Run(List<Row> rows, Truth truth, long readsBeforeCommit, long readsBeforeCommitRow) {}

  /** The key's content in the store: its stock, and its version where the store keeps one. */
  record State(long stock, long version) {}

  private record Delivery(History.Req req, String id, boolean retry) {}

  private enum Phase { READ, CHECK, WRITE, COMMIT, COMMIT_ROW, END, COMMIT_AFTER_ANSWER, COMMIT_ROW_AFTER_ANSWER }

  /** One execution of a request on a thread. */
  private static final class Exec {
    final Delivery d;
    final long start;
    Phase phase = Phase.READ;
    int attempt = 1;
    State snap;
    boolean casOk;
    boolean snapInitial;
    /** The read showed only a version that the last two states in row order share (with different stocks). */
    boolean ambiguous;
    /** The last state in row order when the read came, if a row showed it and it has what the read showed (the analyzer's placement). */
    State tied;
    int chainAtRead;
    boolean effectVisible;
    boolean wrote;
    boolean storage;
    Result outcome;
    // With transaction probes, what its write means is decided at its transaction's end.
    State written;
    boolean wouldLose;
    boolean wouldBeUndecided;
    boolean wouldDisagree;
    boolean relativeWrite;
    /** Its transaction committed and its COMMIT row has not left yet. */
    boolean commitRowToCome;
    /** Steps of its thread until that row leaves (a descheduled thread inside {@code commit()}). */
    int rowDelay;

    Exec(Delivery d, long start) {
      this.d = d;
      this.start = start;
    }
  }

  private static final class Lane {
    final int index;
    final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    Exec cur;

    Lane(int index) {
      this.index = index;
    }
  }

  private final History h;
  private final Shape s;
  private final State[] store;
  /** A transactional store's uncommitted write of the key (its lock), or null. */
  private final State[] pending;
  /** The last two states of the key in the order the rows of their writes left, and whether a row showed each. */
  private final State[] rowLast;
  private final State[] rowPrev;
  private final boolean[] rowLastShown;
  private final boolean[] rowPrevShown;
  // Where reads show only a version and writes none, a key whose first such read came after a
  // write's row, before that write's request answered, cannot tell which state that read saw: the
  // current one, or the one before it if the write had not committed. Its reads are undecided
  // until one comes after the last writer answered.
  private final boolean[] keySeen;
  private final int[] chainLength;
  private final boolean[] anchored;
  /** The request whose write made the last state in row order has not answered yet (its REQUEST row is to come). */
  private final Exec[] rowLastWriter;
  private final List<Row> rows = new ArrayList<>();
  private final Set<String> processed = new HashSet<>(); // the idempotent service's table of answered ids
  private final Map<String, Integer> executions = new HashMap<>();
  private final Map<String, Integer> confirmedTimes = new HashMap<>();
  private final long[] confirmedUnits;
  private final long[] restocked;
  private final boolean[] touched;
  private final boolean[] changed;
  /** The key's history starts from a stock the rows show: a read of the initial stock, or a first restock. */
  private final boolean[] initialVisible;
  /** A read showed the initial stock. */
  private final boolean[] initialSeen;
  /**
   * A request's write of the key has left a row: a read after it may have seen the state before
   * or after that write (before its commit), so the stock it shows tells the capture no initial stock.
   */
  private final boolean[] requestWriteRow;
  private final boolean[] effectHidden;
  private long lost;
  private long readsBeforeCommit;
  /** Reads of a state whose transaction had committed and whose COMMIT row had not left yet. */
  private long readsBeforeCommitRow;
  /** Per key: committed transactions whose COMMIT row is still to come. */
  private final int[] commitRowsToCome;
  private long undecided;
  private long relativeWrites;
  private long amountDisagreements;
  private long dups;
  private long replays;
  private long retriesByClients;
  private long withoutId;
  private long requests;
  private long confirmations;
  private long rejected;
  private long conflictResponses;
  private long errors5xx;
  private long storageAttempts;
  private long requestsWithStorage;
  private long writeAttempts;
  private long writeConflicts;
  private long conditionalWrites;
  private int maxAttempts;
  private final Map<Integer, Long> hist = new TreeMap<>();
  private long overLimit;
  private long outside;
  private long rolledBack;

  private Simulation(History h) {
    this.h = h;
    this.s = h.shape();
    int k = s.keys();
    store = new State[k];
    pending = new State[k];
    commitRowsToCome = new int[k];
    rowLast = new State[k];
    rowPrev = new State[k];
    rowLastShown = new boolean[k];
    rowPrevShown = new boolean[k];
    keySeen = new boolean[k];
    chainLength = new int[k];
    anchored = new boolean[k];
    rowLastWriter = new Exec[k];
    for (int i = 0; i < k; i++) {
      store[i] = new State(h.initial().get(i), 1);
      rowLast[i] = store[i];
    }
    confirmedUnits = new long[k];
    restocked = new long[k];
    touched = new boolean[k];
    changed = new boolean[k];
    initialVisible = new boolean[k];
    initialSeen = new boolean[k];
    requestWriteRow = new boolean[k];
    effectHidden = new boolean[k];
  }

  static Run run(History h) {
    return new Simulation(h).go();
  }

  private Run go() {
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i <= s.threads(); i++) {
      lanes.add(new Lane(i)); // the last lane is the admin thread that restocks, outside any request
    }
    Lane admin = lanes.get(s.threads());
    for (int i = 0; i < h.requests().size(); i++) {
      History.Req r = h.requests().get(i);
      if (r.restock()) {
        admin.queue.add(new Delivery(r, null, false));
      } else {
        int t = r.thread() % s.threads();
        lanes.get(t).queue.add(new Delivery(r, "o" + i, false));
        if (r.duplicate()) {
          lanes.get((t + 1) % s.threads()).queue.add(new Delivery(r, "o" + i, false));
        }
      }
    }
    long tick = 0;
    int next = 0;
    List<Lane> runnable = new ArrayList<>();
    while (true) {
      runnable.clear();
      for (Lane l : lanes) {
        if ((l.cur != null || !l.queue.isEmpty()) && !blocked(l, admin)) {
          runnable.add(l);
        }
      }
      if (runnable.isEmpty()) {
        break;
      }
      int pick = next < h.schedule().size() ? h.schedule().get(next++) : 0;
      Lane l = runnable.get(Math.floorMod(pick, runnable.size()));
      tick++;
      if (l == admin) {
        restock(l.queue.poll().req(), tick);
      } else {
        step(l, tick);
      }
    }
    return new Run(rows, truth(), readsBeforeCommit, readsBeforeCommitRow);
  }

  /** A write's row left: its state is the last one in row order. */
  private void rowState(int k, State st, Exec writer) {
    rowState(k, st, writer, writer == null);
  }

  /** {@code writer}: the request the analyzer may take as uncommitted, null for a restock or a committed write. */
  private void rowState(int k, State st, Exec writer, boolean restock) {
    rowLastWriter[k] = writer;
    requestWriteRow[k] |= writer != null;
    if (!restock || keySeen[k]) {
      chainLength[k]++; // a restock that is a key's first row sets its first state; other writes make a new one
    }
    keySeen[k] = true;
    rowPrev[k] = rowLast[k];
    rowPrevShown[k] = rowLastShown[k];
    rowLast[k] = st;
    rowLastShown[k] = true;
  }

  /** The lane's next step waits for another's uncommitted write of its key (a transactional store's lock). */
  private boolean blocked(Lane l, Lane admin) {
    if (!s.transactional()) {
      return false;
    }
    if (l == admin) {
      return pending[l.queue.peek().req().key()] != null;
    }
    Exec x = l.cur;
    return x != null && x.phase == Phase.WRITE && pending[x.d.req().key()] != null;
  }

  private int worker(int lane) {
    return lane % s.workers();
  }

  private long threadId(int lane) {
    return 100 + lane;
  }

  private String key(int k) {
    return "sku-" + k;
  }

  private String note(int k) {
    State st = store[k];
    return key(k) + "=" + st.stock() + (s.versionedStore() ? "@v" + st.version() : "");
  }

  private boolean sameContent(State a, State b) {
    return a.stock() == b.stock() && (!s.versionedStore() || a.version() == b.version());
  }

  /** What the store's conditional write compares: the version, or the stock where there is none. */
  private boolean unchanged(State seen, State now) {
    return s.versionedStore() ? seen.version() == now.version() : seen.stock() == now.stock();
  }

  private void restock(History.Req r, long tick) {
    int k = r.key();
    State st = store[k];
    store[k] = new State(st.stock() + r.amount(), st.version() + 1);
    rowState(k, store[k], null);
    // A relative adjust(sku, -n) shows the units, not the stock: a change of known size. Until a
    // request changes the key, its history may start at the first stock a read shows (adjustments
    // before it are the baseline's), so it does not count as a change.
    if (!s.relative()) {
      if (!changed[k]) {
        initialVisible[k] = true; // the restock's row shows the stock it left: the key's history starts there
      }
      changed[k] = true;
    }
    touched[k] = true;
    restocked[k] += r.amount();
    outside++;
    writeAttempts++;
    rows.add(new Row(worker(s.threads()), EventKind.WRITE, Result.SUCCESS, threadId(s.threads()), null, key(k), 0, tick,
        tick, null, null, s.writeCarriesWritten() ? store[k].version() : null, s.relative() ? null : store[k].stock(),
        s.relative() ? (long) -r.amount() : null, null, note(k)));
  }

  private void step(Lane l, long tick) {
    Exec x = l.cur;
    if (x == null) {
      Delivery d = l.queue.poll();
      x = l.cur = new Exec(d, tick);
      if (s.idempotent() && processed.contains(d.id())) {
        x.outcome = Result.SUCCESS; // answered from the recorded outcome, no storage
        x.phase = Phase.END;
      }
      return;
    }
    History.Req r = x.d.req();
    int k = r.key();
    String req = s.ids() ? x.d.id() : TraceBuilder.NO_ID;
    switch (x.phase) {
      case READ -> {
        x.snap = store[k];
        if (pending[k] != null) {
          readsBeforeCommit++;
        }
        if (commitRowsToCome[k] > 0) {
          readsBeforeCommitRow++;
        }
        // Which of two states sharing a version (or a stock) it saw, a read that shows only the
        // version (the stock) cannot say: the later one's transaction may not have committed. The
        // write it leads to is undecided by the rows. Versions repeat where the service computes
        // them and a stale write reused one; the rows show both states' versions and stocks.
        boolean both = !r.blankRead() && s.writeCarriesWritten() && rowLastShown[k] && rowPrevShown[k]
            && rowLastWriter[k] != null;
        x.ambiguous = both && s.readCarriesVersion() && !s.readValue() && rowLast[k].version() == rowPrev[k].version()
            && rowLast[k].stock() != rowPrev[k].stock() && x.snap.version() == rowLast[k].version()
            || both && !s.readCarriesVersion() && s.readValue() && rowLast[k].stock() == rowPrev[k].stock()
            && rowLast[k].version() != rowPrev[k].version() && x.snap.stock() == rowLast[k].stock();
        if (s.versions() == Shape.Versions.READ && !s.readValue() && !r.blankRead()) {
          if (!anchored[k]) {
            if (chainLength[k] > 0 && rowLastWriter[k] != null) {
              x.ambiguous = true;
            } else {
              anchored[k] = true;
            }
          }
        }
        boolean byVersion = s.readCarriesVersion() && !s.readValue();
        boolean byStock = s.readValue() && !s.readCarriesVersion();
        x.tied = !r.blankRead() && rowLastShown[k] && (byVersion && rowLast[k].version() == x.snap.version()
            || byStock && rowLast[k].stock() == x.snap.stock()) ? rowLast[k] : null;
        x.chainAtRead = chainLength[k];
        keySeen[k] = true;
        x.snapInitial = !changed[k];
        x.storage = true;
        touched[k] = true;
        boolean blank = r.blankRead();
        Long version = s.readCarriesVersion() && !blank ? x.snap.version() : null;
        Long value = s.readValue() && !blank ? x.snap.stock() : null;
        if (value != null && !changed[k] && !requestWriteRow[k]) {
          initialVisible[k] = initialSeen[k] = true;
        }
        rows.add(new Row(worker(l.index), EventKind.READ, Result.NONE, threadId(l.index), req, key(k), x.attempt, tick,
            tick, version, null, null, value, null, null, null));
        if (x.snap.stock() < r.amount()) {
          x.outcome = Result.REJECTED;
          x.phase = Phase.END;
        } else {
          x.phase = s.brokenCas() ? Phase.CHECK : Phase.WRITE;
        }
      }
      case CHECK -> {
        // The broken store checks the version in one step and writes in the next.
        x.casOk = unchanged(x.snap, store[k]);
        x.phase = Phase.WRITE;
      }
      case WRITE -> write(l, x, r, k, req, tick);
      case COMMIT -> {
        if (s.boundaries() == Shape.Boundaries.AFTER_ANSWER) {
          x.phase = Phase.END; // the proxy commits after the probed method returned
        } else {
          commit(l, x, r, k, req, tick);
          x.phase = x.commitRowToCome ? Phase.COMMIT_ROW : Phase.END;
        }
      }
      case COMMIT_ROW -> {
        if (--x.rowDelay > 0) {
          return;
        }
        commitRow(l, x, k, req, tick);
        x.phase = Phase.END;
      }
      case END -> {
        if (s.boundaries() == Shape.Boundaries.AFTER_ANSWER && pending[k] != null && x.wrote && x.written != null) {
          answer(l, x, k, req, tick);
          x.phase = Phase.COMMIT_AFTER_ANSWER;
        } else {
          end(l, x, r, k, req, tick);
        }
      }
      case COMMIT_AFTER_ANSWER -> {
        commit(l, x, r, k, null, tick);
        if (x.commitRowToCome) {
          x.phase = Phase.COMMIT_ROW_AFTER_ANSWER;
        } else {
          account(l, x, r, k);
        }
      }
      case COMMIT_ROW_AFTER_ANSWER -> {
        if (--x.rowDelay > 0) {
          return;
        }
        commitRow(l, x, k, null, tick);
        account(l, x, r, k);
      }
    }
  }

  private void write(Lane l, Exec x, History.Req r, int k, String req, long tick) {
    if (s.relative()) {
      relative(l, x, r, k, req, tick);
      return;
    }
    boolean conditional = s.write() == Shape.Write.CONDITIONAL;
    boolean ok = !conditional || (s.brokenCas() ? x.casOk : unchanged(x.snap, store[k]));
    long newStock = x.snap.stock() - r.amount();
    // The new version: the service's (read version + 1, an argument) where the probes capture it on
    // the write, else the store's own counter. A correct conditional write makes them equal; the
    // broken one does not, and its version is still whoever sets it.
    boolean serviceSets = s.source() == Shape.VersionSource.SERVICE || conditional && s.versions().onWrite();
    long newVersion = serviceSets ? x.snap.version() + 1 : store[k].version() + 1;
    Long expected = s.writeCarriesExpected() ? x.snap.version() : null;
    boolean entity = s.outcome() == Shape.Outcome.ENTITY;
    writeAttempts++;
    if (expected != null) {
      conditionalWrites++;
    }
    if (ok) {
      x.wouldBeUndecided = r.blankRead() || x.ambiguous; // the read showed nothing, or nothing that tells two states apart
      x.wouldLose = !x.wouldBeUndecided && !sameContent(x.snap, store[k]);
      // What it took is visible if the state its read observed shows its stock in some row: its own
      // read, the write or restock that made the state, or another read of the initial state.
      x.effectVisible = !r.blankRead() && !x.ambiguous && (s.readValue() || !x.snapInitial || initialSeen[k])
          || s.writeCarriesAmount(); // the units it took are in its own row
      // the service wrote another stock than its read less what it took
      x.wouldDisagree = s.writeCarriesAmount() && x.snap.stock() - newStock != r.amount();
      State written = new State(newStock, newVersion);
      x.written = written;
      if (!s.boundariesProbed()) {
        applied(x, k, x);
      }
      if (s.transactional()) {
        pending[k] = written; // the write's row leaves now, its commit comes in a later step
        x.phase = Phase.COMMIT;
      } else {
        store[k] = written;
        changed[k] = true;
        x.phase = Phase.END;
      }
      x.wrote = true;
      x.outcome = r.failAfterWrite() ? Result.ERROR : Result.SUCCESS;
      rows.add(new Row(worker(l.index), EventKind.WRITE, Result.SUCCESS, threadId(l.index), req, key(k), x.attempt,
          tick, tick, null, expected, s.writeCarriesWritten() ? newVersion : null, newStock, amount(r), null,
          note(k) + (s.transactional() ? " (commit to come: " + newStock + ")" : "")));
      return;
    }
    writeConflicts++;
    boolean threw = s.conflictThrows();
    // A write that threw returned nothing: what the probe takes from the return is absent.
    Long value = threw && entity ? null : newStock;
    Long written = !s.writeCarriesWritten() || threw && entity ? null : newVersion;
    rows.add(new Row(worker(l.index), EventKind.WRITE, Result.CONFLICT, threadId(l.index), req, key(k), x.attempt, tick,
        tick, null, expected, written, value, amount(r), threw ? THROWN_CONFLICT : null, note(k)));
    if (x.attempt < s.maxAttempts()) {
      x.attempt++;
      x.phase = Phase.READ;
    } else {
      x.outcome = Result.CONFLICT;
      x.phase = Phase.END;
    }
  }

  /**
   * The write took effect as the analyzer sees it: at its row, or (with transaction probes) at its
   * commit, when its state joins the key's chain in the order the rows show. {@code writer} is the
   * request the analyzer may still take as uncommitted (null once its COMMIT row came).
   */
  private void applied(Exec x, int k, Exec writer) {
    if (!x.wouldBeUndecided && laterStateShares(x, k)) {
      x.wouldBeUndecided = true;
      x.wouldLose = false;
      x.effectVisible = s.writeCarriesAmount();
    }
    if (x.wouldBeUndecided) {
      undecided++;
    } else if (x.wouldLose) {
      lost++;
    }
    if (x.wouldDisagree) {
      amountDisagreements++;
    }
    if (x.relativeWrite) {
      relativeWrites++;
    }
    rowState(k, x.written, writer, false);
    requestWriteRow[k] = true;
  }

  /**
   * The rule of README.md for a read that showed only its version (or only its stock): the state
   * it was tied to is not the current one when its write applies, but the current one came (in
   * row order) after the read and has what the read showed, with another stock (another version):
   * the read may have seen either (a commit is visible before its row). A write carrying its value
   * and amount tells which from its own row (the stock read is their sum); a conditional write is
   * judged by its expected version.
   */
  private boolean laterStateShares(Exec x, int k) {
    if (x.tied == null || s.relative() || s.write() == Shape.Write.CONDITIONAL || chainLength[k] <= x.chainAtRead
        || !rowLastShown[k]) {
      return false;
    }
    State c = rowLast[k];
    if (s.readCarriesVersion()) { // the version only
      return !s.writeCarriesAmount() && c.version() == x.snap.version() && c.stock() != x.tied.stock();
    }
    return s.writeCarriesWritten() && c.stock() == x.snap.stock() && c.version() != x.tied.version();
  }

  /** The units an order takes, as a write probe's {@code amount:} gives them (an argument), or null without one. */
  private Long amount(History.Req r) {
    return s.writeCarriesAmount() ? (long) r.amount() : null;
  }

  /**
   * {@code UPDATE stock SET qty = qty - ?}: takes the units from the stock the store holds when it
   * applies (a transactional store's lock makes that the last committed one), whatever the read
   * saw, so it replaces no one's update. Its row carries the units and no value.
   */
  private void relative(Lane l, Exec x, History.Req r, int k, String req, long tick) {
    State written = new State(store[k].stock() - r.amount(), store[k].version() + 1);
    writeAttempts++;
    x.relativeWrite = true;
    x.effectVisible = true;
    x.written = written;
    if (!s.boundariesProbed()) {
      applied(x, k, x);
    }
    if (s.transactional()) {
      pending[k] = written;
      x.phase = Phase.COMMIT;
    } else {
      store[k] = written;
      changed[k] = true;
      x.phase = Phase.END;
    }
    x.wrote = true;
    x.outcome = r.failAfterWrite() ? Result.ERROR : Result.SUCCESS;
    rows.add(new Row(worker(l.index), EventKind.WRITE, Result.SUCCESS, threadId(l.index), req, key(k), x.attempt, tick,
        tick, null, null, null, null, (long) r.amount(), null, note(k) + (s.transactional() ? " (commit to come: "
        + written.stock() + ")" : "")));
  }

  /**
   * The transaction's end: without transaction probes the store commits and the rows say nothing;
   * with them, a COMMIT row (the write takes effect for the analyzer too) or, for an order whose
   * transaction rolls back, a ROLLBACK row (the store keeps nothing of it, the service answers 5xx
   * unless it already answered). {@code req} is null after the request answered.
   */
  private void commit(Lane l, Exec x, History.Req r, int k, String req, long tick) {
    if (s.boundariesProbed() && r.rollback()) {
      pending[k] = null; // the key's lock is free, the store unchanged
      x.wrote = false;
      rolledBack++;
      if (x.outcome == Result.SUCCESS && req != null) {
        x.outcome = Result.ERROR;
      }
      rows.add(new Row(worker(l.index), EventKind.ROLLBACK, Result.SUCCESS, threadId(l.index),
          req == null ? null : req, null, x.attempt, tick, tick, null, null, null, null, null, null, note(k)));
      return;
    }
    store[k] = pending[k]; // visible to reads from now on; the key's lock is free
    pending[k] = null;
    changed[k] = true;
    if (s.boundariesProbed()) {
      if (r.lateCommitRow()) {
        x.commitRowToCome = true; // the driver's commit() has not returned yet
        x.rowDelay = 3;
        commitRowsToCome[k]++;
        return;
      }
      commitRow(l, x, k, req, tick);
    }
  }

  /** The COMMIT row leaves: the write joins the row-order mirror, as the analyzer takes it. */
  private void commitRow(Lane l, Exec x, int k, String req, long tick) {
    if (x.commitRowToCome) {
      x.commitRowToCome = false;
      commitRowsToCome[k]--;
    }
    applied(x, k, null);
    rows.add(new Row(worker(l.index), EventKind.COMMIT, Result.SUCCESS, threadId(l.index), req, null, x.attempt,
        tick, tick, null, null, null, null, null, null, note(k)));
  }

  /** The REQUEST row: the service answers. */
  private void answer(Lane l, Exec x, int k, String req, long tick) {
    Result out = x.outcome;
    if (rowLastWriter[k] == x) {
      rowLastWriter[k] = null; // its request answers: the analyzer takes its write as committed
    }
    rows.add(new Row(worker(l.index), EventKind.REQUEST, out, threadId(l.index), req, key(k), x.attempt, x.start, tick,
        null, null, null, null, null, out == Result.ERROR ? THROWN_FAILURE : null, null));
  }

  private void end(Lane l, Exec x, History.Req r, int k, String req, long tick) {
    answer(l, x, k, req, tick);
    account(l, x, r, k);
  }

  /** What the service and the store count of a finished request. */
  private void account(Lane l, Exec x, History.Req r, int k) {
    Result out = x.outcome;
    l.cur = null;
    requests++;
    String id = x.d.id();
    if (s.ids()) {
      if (executions.merge(id, 1, Integer::sum) > 1) {
        retriesByClients++; // the analyzer knows an id once a request of it has answered
      }
    } else {
      withoutId++;
    }
    switch (out) {
      case SUCCESS -> confirmations++;
      case REJECTED -> rejected++;
      case CONFLICT -> conflictResponses++;
      case ERROR, TIMEOUT -> errors5xx++;
      default -> { }
    }
    if (out == Result.SUCCESS && x.wrote) {
      boolean first = !s.ids() || confirmedTimes.merge(id, 1, Integer::sum) == 1;
      if (first) {
        confirmedUnits[k] += r.amount();
      } else {
        dups++;
      }
      if (!x.effectVisible) {
        effectHidden[k] = true; // what it took is not in the rows: the key cannot be reconciled
      }
      if (s.idempotent()) {
        processed.add(id);
      }
    } else if (out == Result.SUCCESS && (x.written == null || s.ids() && confirmedTimes.getOrDefault(id, 0) > 0)) {
      replays++; // answered from the first outcome; one whose write rolled back after it answered confirms nothing
    }
    int attempts = x.attempt;
    hist.merge(attempts, 1L, Long::sum);
    maxAttempts = Math.max(maxAttempts, attempts);
    if (attempts > Criteria.DEFAULTS.maxAttempts()) {
      overLimit++;
    }
    if (x.storage) {
      requestsWithStorage++;
      storageAttempts += attempts;
    }
    if (out == Result.CONFLICT && s.clientRetries() && !x.d.retry()) {
      l.queue.add(new Delivery(r, id, true)); // the client sends the same request again
    }
  }

  private Truth truth() {
    Long mismatch = null;
    long checked = 0;
    for (int k = 0; k < s.keys(); k++) {
      if (!touched[k] || !initialVisible[k] || effectHidden[k]) {
        continue;
      }
      checked++;
      long expected = h.initial().get(k) + restocked[k] - store[k].stock();
      mismatch = (mismatch == null ? 0 : mismatch) + Math.abs(confirmedUnits[k] - expected);
    }
    Map<String, Long> histogram = new java.util.LinkedHashMap<>();
    hist.forEach((a, n) -> histogram.put(Integer.toString(a), n));
    return new Truth(lost, undecided, relativeWrites, mismatch, checked, amountDisagreements, dups, replays,
        retriesByClients, withoutId, requests, confirmations, rejected, conflictResponses, errors5xx, storageAttempts, requestsWithStorage, writeAttempts,
        writeConflicts, conditionalWrites, maxAttempts, histogram, overLimit, outside, rolledBack);
  }
}
