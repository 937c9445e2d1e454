package io.racetrace.analyzer.detect;

/**
 * One detector of a {@link DetectorSet}: it keeps its own state, fed by the set, and turns it into
 * its section of the report with a {@code result(...)} method.
 *
 * <p>{@link #merge} folds in the same detector fed from another partition of the same capture
 * (other keys, with their executions), so a run may spread keys over several detector sets (cores,
 * machines) and merge them before judging; the merged result is the one a single detector fed
 * every row would give. Evidence kept in bounded lists is chosen by an order that does not depend
 * on how the rows were partitioned (row positions on the merged timeline, {@code Ev#seq}).
 */
public interface Detector<D extends Detector<D>> {
  /** Folds {@code other} (same configuration, disjoint keys) into this one; {@code other} is not used again. */
  void merge(D other);
}
