package io.racetrace.workload;

/**
 * How one send (one copy of one planned request) ended, after its retries.
 *
 * @param status HTTP status of the last attempt, or 0 if it got no response
 * @param error {@code timeout} or {@code transport} when status is 0, else null
 * @param outcome CONFIRMED / SOLD_OUT / CONFLICT from the body, or null
 * @param replayed the service said this id was already decided (idempotent replay)
 * @param version the inventory version the service reported, or -1
 * @param latencyNanos from the intended send time to the final answer (includes any wait before
 *     sending and all retries): the latency a user on the open-model schedule experienced
 * @param lastAttemptNanos from the actual send of the last attempt to its answer: the latency a
 *     closed-loop tool would report
 * @param sendLagNanos how late the first attempt left relative to its intended time
 */
public record RequestRecord(
    int index,
    int copy,
    String requestId,
    String sku,
    int status,
    String error,
    String outcome,
    boolean replayed,
    long version,
    int attempts,
    long latencyNanos,
    long lastAttemptNanos,
    long sendLagNanos) {

  boolean failed() {
    return status == 0 || status >= 500;
  }
}
