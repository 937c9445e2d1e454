package io.racetrace.agent.core.weave;

import io.racetrace.agent.core.AgentLog;
import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.trace.ProbeStatus;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What each probe has matched so far: methods woven per probe, and which probes found their class
 * but no method. Fed by the transformer (any thread that loads a class), read by the writer thread
 * and by the start-up and shutdown reports.
 */
public final class ProbeRegistry {
  private final List<ProbeSpec> specs;
  /** The probe file's name, for problems found while weaving: they name the file and the field. */
  private final String file;
  private final AtomicIntegerArray matched;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ConcurrentHashMap<Integer, String> noMatch = new java.util.concurrent.ConcurrentHashMap<>();

  public ProbeRegistry(List<ProbeSpec> specs) {
    this(specs, "probes");
  }

  /** @param file the probe file's name; {@code specs} are its probes in the file's order */
  public ProbeRegistry(List<ProbeSpec> specs, String file) {
    this.specs = specs;
    this.file = file;
    this.matched = new AtomicIntegerArray(specs.size());
  }

  /**
   * A write probe's amount cannot be a number in a method it is woven into ({@link AmountCheck}):
   * one line naming the file and the field, once per probe and method; the method's rows carry no
   * amount.
   */
  void amountProblem(int probeId, String problem) {
    if (reported.add(probeId + "#amount " + problem)) {
      AgentLog.warn(file + ": probes[" + probeId + "].amount (probe " + specs.get(probeId).name() + "): " + problem
          + "; the amount is left out of its rows");
    }
  }

  public List<ProbeSpec> specs() {
    return specs;
  }

  void matched(int probeId, String typeName, int methods) {
    if (methods > 0) {
      matched.addAndGet(probeId, methods);
      AgentLog.debug("probe " + specs.get(probeId).name() + ": woven into " + methods + " method(s) of " + typeName);
    } else if (reported.add(probeId + "@" + typeName)) {
      ProbeSpec s = specs.get(probeId);
      String why = "class " + typeName + " has no method matching "
          + s.method() + (s.params() == null ? "" : "(" + String.join(",", s.params()) + ")");
      noMatch.putIfAbsent(probeId, why);
      AgentLog.warn("probe " + s.name() + ": " + why);
    }
  }

  /** Why a probe matched nothing in a class it was tried on, or null if it was never tried on one. */
  public String noMatchReason(int probeId) {
    return noMatch.get(probeId);
  }

  public int matchedMethods(int probeId) {
    return matched.get(probeId);
  }

  public ProbeStatus[] status() {
    ProbeStatus[] out = new ProbeStatus[specs.size()];
    for (int i = 0; i < out.length; i++) {
      ProbeSpec s = specs.get(i);
      out[i] = new ProbeStatus(i, s.name(), s.role().label(), s.target(), matched.get(i));
    }
    return out;
  }
}
