package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.correlate.Observed;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.util.LongObjMap;
import io.racetrace.trace.Result;
import io.racetrace.trace.TraceSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The state by key: one {@link KeyState} per key, and the ledger of each key's confirmed effects
 * (the invariant). The lost-update detector reads and moves the states on; the invariant and the
 * hot keys are computed from them at the end.
 *
 * <p>Partitioning: everything here is one key's, so keys may live in different instances, merged
 * at the end; a key in two instances is a partitioning error, unless one of them saw only its
 * executions (requests and confirmations, {@link ExecutionStage}): their ledger then merges into
 * the other's state.
 */
public final class KeyStates implements Detector<KeyStates> {
  private final LongObjMap<KeyState> byHash = new LongObjMap<>(1024);
  private final List<KeyState> list = new ArrayList<>();

  /** The state of {@code e}'s key, created at its first row; {@code null} for a row without key. */
  public KeyState key(Ev e) {
    if (e.keyHash == 0) {
      return null;
    }
    KeyState k = byHash.get(e.keyHash);
    if (k == null) {
      k = new KeyState(e.key, e.keyHash);
      byHash.put(e.keyHash, k);
      list.add(k);
    }
    return k;
  }

  /** The state of the key with hash {@code h}, or {@code null} if none of its rows came here. */
  public KeyState known(long h) {
    return h == 0 ? null : byHash.get(h);
  }

  /** Every key, in the order its first row came. */
  public List<KeyState> list() {
    return list;
  }

  /**
   * The state of the key {@code x} confirmed, created from its write if this instance has not seen
   * the key: an instance fed only executions ({@link ExecutionStage}) keeps the keys' ledgers
   * apart from their rows. Where the same instance had the write, the key is there already.
   */
  KeyState ledger(Exec x) {
    KeyState k = known(x.confirmKeyHash);
    return k != null || x.confirmKeyHash == 0 || x.successWrite == null ? k : key(x.successWrite);
  }

  /** A completed execution's request counts in its key's traffic: the request's key, else the key it confirmed. */
  void countRequest(Exec x, KeyState k) {
    if (k != null) {
      k.requests++;
      if (x.request.result == Result.CONFLICT) {
        k.conflictResponses++;
      }
    }
  }

  /** A confirmation backed by a successful write enters its key's ledger in the service's units. */
  void confirm(Exec x, boolean duplicate) {
    KeyState k = ledger(x);
    if (k == null) {
      return;
    }
    k.confirmations++;
    if (x.effectKnown) {
      k.confirmedUnits += x.effectUnits;
    } else {
      k.effectsUnknown++; // the key's invariant cannot be reconciled in units
    }
    if (duplicate) {
      k.duplicateConfirmations++;
      k.duplicateUnits += x.effectUnits; // 0 if not known, and then the key has no invariant
    }
  }

  /**
   * A successful request write's effect in the service's units (see {@link Exec#effectUnits}), or
   * {@code null} if the rows do not show it: the units it took where it carries an amount (its
   * probe's {@code amount:}); else the value-based effect, {@link #valueEffect}. A write with both
   * must agree; where it does not, the value is what the store holds and wins, and the
   * disagreement is counted on the key.
   */
  static Long effect(Observed read, Ev write, KeyState k) {
    Long byValue = valueEffect(read, write, k);
    if (!write.has(TraceSchema.F_AMOUNT)) {
      return byValue;
    }
    if (byValue != null && byValue != write.amount) {
      if (k != null) {
        k.amountDisagreements++;
      }
      return byValue;
    }
    return write.amount;
  }

  /**
   * The stock of the state its read observed (from the read, or from the write that made that
   * state) minus the value written; without a read, the stock it replaced minus the value written;
   * {@code null} where the rows do not show them as numbers.
   */
  static Long valueEffect(Observed read, Ev write, KeyState k) {
    if (!write.has(TraceSchema.F_VALUE) || write.has(TraceSchema.F_VALUE_HASHED)) {
      return null;
    }
    if (read != null) {
      return read.hasValue && !read.read.has(TraceSchema.F_VALUE_HASHED) ? read.value - write.value : null;
    }
    return k != null && k.hasCurValue && !k.hashedValues ? k.curValue - write.value : null;
  }

  @Override
  public void merge(KeyStates o) {
    for (KeyState k : o.list) {
      KeyState mine = byHash.get(k.hash);
      if (mine != null) {
        mine.addLedger(k); // one of the two saw only the key's executions, else a partitioning error
        continue;
      }
      byHash.put(k.hash, k);
      list.add(k);
    }
  }
}
