package io.racetrace.analyzer.differential;

import java.util.Map;

/**
 * What the simulated store and service counted themselves, in the analyzer's terms.
 *
 * @param lostUpdates successful writes in requests whose read observed a state (the key's stock,
 *     and its version where the store keeps one) that was no longer current when the write applied,
 *     and which replaced it with what they computed from the state they read (not a relative
 *     update), and that the capture can decide: their read row shows a version or a value
 * @param undecidedWrites the other successful request writes: their read row shows nothing
 * @param invariantMismatch sum over the keys the capture can reconcile of |confirmed effects - (I0
 *     + restocked - final stock)|, confirmed effects counting each request id once; null if no key can be
 * @param keysChecked keys the capture can reconcile: the initial stock and every confirmed
 *     request's effect are visible in its rows
 * @param relativeWrites successful relative updates in requests ({@code qty = qty - ?}): they take
 *     from the stock that is there, so they erase nothing, whatever their read saw
 * @param amountDisagreements successful writes whose value read minus value written was not the
 *     units the service took (the amount its probe gives)
 * @param writesRolledBack successful writes whose transaction rolled back (transaction probes): the
 *     store kept nothing of them
 */
public record Truth(
    long lostUpdates,
    long undecidedWrites,
    long relativeWrites,
    Long invariantMismatch,
    long keysChecked,
    long amountDisagreements,
    long duplicateConfirmations,
    long idempotentReplays,
    long clientRetries,
    long requestsWithoutId,
    long requests,
    long confirmations,
    long rejected,
    long conflictResponses,
    long errors5xx,
    long storageAttempts,
    long requestsWithStorage,
    long writeAttempts,
    long writeConflicts,
    long conditionalWriteAttempts,
    int maxAttempts,
    Map<String, Long> attemptHistogram,
    long requestsOverLimit,
    long writesOutsideRequests,
    long writesRolledBack) {}
