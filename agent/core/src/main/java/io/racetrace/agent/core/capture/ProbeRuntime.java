package io.racetrace.agent.core.capture;

import io.racetrace.agent.core.extract.Extractor;
import io.racetrace.agent.core.extract.ExtractorPath;
import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.agent.core.probe.ResultMapping;
import io.racetrace.agent.core.probe.Role;
import io.racetrace.trace.EventKind;

/** A probe ready to run: its spec with every extractor path resolved into an {@link Extractor}. */
final class ProbeRuntime {
  final int id;
  final ProbeSpec spec;
  final Role role;
  final EventKind kind;
  final Extractor requestId;
  final Extractor key;
  final Extractor version;
  final Extractor value;
  final Extractor expectedVersion;
  final Extractor writtenVersion;
  final Extractor success;
  final Extractor amount;
  final Extractor resultFrom;
  final ResultMapping result;
  /**
   * The key is an entity's ({@code @key}): the probe records only calls that yield one of the file's
   * entities. A call that returned nothing or threw (a query with no result) reads none.
   */
  final boolean entityKey;
  /** The amount gave something other than a number once (said once, then left out silently). */
  final java.util.concurrent.atomic.AtomicBoolean amountNotNumber = new java.util.concurrent.atomic.AtomicBoolean();

  ProbeRuntime(int id, ProbeSpec spec, Extractor.Problems problems) {
    this.id = id;
    this.spec = spec;
    this.role = spec.role();
    this.kind = spec.role().kind;
    this.requestId = ex(spec.requestId(), spec, problems);
    this.key = ex(spec.key(), spec, problems);
    this.entityKey = spec.key() != null && spec.key().steps().stream().anyMatch(st -> st.name().equals("@key"));
    this.version = ex(spec.version(), spec, problems);
    this.value = ex(spec.value(), spec, problems);
    this.expectedVersion = ex(spec.expectedVersion(), spec, problems);
    this.writtenVersion = ex(spec.writtenVersion(), spec, problems);
    this.success = ex(spec.success(), spec, problems);
    this.amount = ex(spec.amount(), spec, problems);
    this.result = spec.result();
    this.resultFrom = ex(result.from(), spec, problems);
  }

  private static Extractor ex(ExtractorPath p, ProbeSpec spec, Extractor.Problems problems) {
    return p == null ? null : new Extractor(p, spec.name(), problems, spec.entities());
  }
}
