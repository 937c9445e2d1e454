package io.racetrace.workload;

/**
 * One request of the schedule.
 *
 * @param offsetNanos intended send time, from the start of the run; latency is measured from it
 * @param duplicate if true the same request id is sent twice at the same instant
 */
public record PlannedRequest(
    int index, long offsetNanos, String requestId, String sku, int quantity, boolean duplicate) {}
