package io.racetrace.workload;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What {@link WorkloadRunner} runs.
 *
 * @param targets base URLs of the service instances; requests go round-robin by request index
 *     (a retry moves on to the next one), admin reads go to the first
 * @param seedInventory replace the store's inventory with the profile's before the run
 * @param applyFaults set the profile's fault knobs on every target before the run
 */
public record WorkloadConfig(List<URI> targets, WorkloadProfile profile, boolean seedInventory, boolean applyFaults) {
  public WorkloadConfig {
    targets = List.copyOf(targets);
    Objects.requireNonNull(profile, "profile");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one target is required");
    }
  }

  public static WorkloadConfig of(URI target, WorkloadProfile profile) {
    return new WorkloadConfig(List.of(target), profile, true, true);
  }
}
