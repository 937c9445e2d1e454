package io.racetrace.trace;

/**
 * Identity of the JVM that wrote a queue, and the anchor that maps its monotonic clock to the wall
 * clock: {@code wall = wallEpochNanos + (mono - monoNanos)}. Written once when a capture starts;
 * {@link TraceSchema#REC_ANCHOR} records refresh the anchor during long captures.
 *
 * @param workerId user-facing name of the worker (agent argument {@code worker=}, else host:pid)
 * @param captureId random id of this capture session; a re-attach starts a new one
 * @param probeSource the probe file's name and content hash, so reports can tell captures apart
 * @param options the agent options in force, as {@code k=v,k=v}
 */
public record WorkerHeader(
    int schemaVersion,
    String workerId,
    long pid,
    String host,
    long captureId,
    String agentVersion,
    String jvm,
    String probeSource,
    String options,
    long wallEpochNanos,
    long monoNanos) {

  public long toWallNanos(long mono) {
    return wallEpochNanos + (mono - monoNanos);
  }
}
