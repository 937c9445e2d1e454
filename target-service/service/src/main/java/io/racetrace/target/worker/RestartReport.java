package io.racetrace.target.worker;

/**
 * What a worker restart did.
 *
 * @param droppedQueued tasks that were waiting in the queue and were failed with 503
 * @param inFlight tasks running when the restart began; each is rolled back at its next safe
 *     point unless it had already committed
 * @param drained true if every old worker finished within the wait
 */
public record RestartReport(int oldGeneration, int newGeneration, int droppedQueued, int inFlight, boolean drained) {}
