package io.racetrace.trace;

/**
 * One probe of the probe file as the agent applied it: its index (the {@code probeId} of rows),
 * its name, role and how many methods it matched so far. A probe that matched nothing explains
 * an empty column in the report.
 */
public record ProbeStatus(int probeId, String name, String role, String target, int matchedMethods) {}
