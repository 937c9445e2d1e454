package io.racetrace.analyzer.release;

import java.util.List;

/**
 * The phases of one run a package is built from: the baseline and retest load phases (same
 * workload, before and after the mitigation), the controlled reproduction on the baseline build
 * (null when there was none), and any further phases of either build.
 */
public record ReleaseInputs(Phase baseline, Phase retest, Phase reproduction, List<Phase> phases) {
  public ReleaseInputs {
    phases = List.copyOf(phases);
  }

  /** Every phase, baseline build first, for the harness table. */
  List<Phase> all() {
    List<Phase> all = new java.util.ArrayList<>();
    all.add(baseline);
    if (reproduction != null) {
      all.add(reproduction);
    }
    phases.stream().filter(p -> p.build().equals(Phase.BASELINE)).forEach(all::add);
    all.add(retest);
    phases.stream().filter(p -> p.build().equals(Phase.MITIGATED)).forEach(all::add);
    return all;
  }

  /** The mitigated build's phases, the retest load phase first. */
  List<Phase> mitigated() {
    return all().stream().filter(p -> p.build().equals(Phase.MITIGATED)).toList();
  }
}
