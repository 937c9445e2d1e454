package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.model.Results.InvariantResult;
import io.racetrace.analyzer.model.Results.KeyInvariant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The invariant {@code confirmed = I0 - remaining} over all keys (see {@link KeyState#invariant()}
 * for one key): the release metric is the sum of the per-key mismatches' absolute values, split
 * into lost updates (positive) and over-applied transitions (negative).
 */
public final class InvariantCheck {
  private InvariantCheck() {}

  /** The invariant over all keys, with the keys that break it most. */
  public static InvariantResult over(List<KeyState> keys, int top) {
    long checked = 0;
    long unknown = 0;
    long mismatch = 0;
    long lost = 0;
    long overApplied = 0;
    long confirmed = 0;
    long expected = 0;
    long negative = 0;
    long disagreements = 0;
    List<KeyInvariant> bad = new ArrayList<>();
    for (KeyState k : keys) {
      negative += k.negativeValuesWritten;
      disagreements += k.amountDisagreements;
      KeyState.Invariant inv = k.invariant();
      if (inv == null) {
        if (k.writes > 0) {
          unknown++;
        }
        continue;
      }
      checked++;
      confirmed += inv.confirmed();
      expected += inv.expected();
      mismatch += Math.abs(inv.mismatch());
      if (inv.mismatch() > 0) {
        lost += inv.mismatch();
      } else {
        overApplied -= inv.mismatch();
      }
      if (inv.mismatch() != 0) {
        bad.add(new KeyInvariant(k.key, inv.basis(), inv.initial(), inv.remaining(), inv.confirmed(), inv.expected(),
            inv.mismatch()));
      }
    }
    bad.sort(Comparator.comparingLong((KeyInvariant x) -> -Math.abs(x.mismatch())).thenComparing(KeyInvariant::key));
    int keysWithMismatch = bad.size();
    if (bad.size() > top) {
      bad = new ArrayList<>(bad.subList(0, top));
    }
    return new InvariantResult(checked == 0 ? null : mismatch, lost, overApplied, confirmed, expected, checked, unknown,
        keysWithMismatch, negative, disagreements, bad);
  }
}
