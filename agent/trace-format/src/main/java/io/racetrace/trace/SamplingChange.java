package io.racetrace.trace;

/**
 * The agent changed how many keys it captures, to stay within its overhead budget (record {@code
 * S}, schema version 2). A key is captured while its bucket (a hash of the key, 0..65535, carried by
 * each row) is below {@code level}; {@link TraceSchema#SAMPLE_ALL} means every key. The level only
 * ever falls during a capture, so a key still sampled at the end has its complete history.
 *
 * @param wallEpochNanos wall-clock time of the change
 * @param monoNanos monotonic time of the change, on the clock of the rows
 * @param level keys with a bucket below this are captured from now on
 * @param budgetPermille the configured budget, in thousandths of the process's CPU time
 * @param measuredPermille the agent's own measured share of the process's CPU time that led to it
 */
public record SamplingChange(long wallEpochNanos, long monoNanos, int level, int budgetPermille,
    int measuredPermille) {}
