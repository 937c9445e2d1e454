package io.racetrace.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a workload against a live service and reconciles the result: preflight ({@code /health} on
 * every target), seed the inventory and set the fault knobs (as configured), read I0 back from the
 * store, send the schedule open-loop, then read the final store state and server counters and
 * compute the {@link GroundTruth}.
 *
 * <p>I0 is what the store held just before the run, not what the profile asked for, so a store
 * seeded by someone else is reconciled correctly too. Several targets must share one store
 * (checked before the run): seeding and reconciliation go through the first.
 */
public final class WorkloadRunner {
  private final WorkloadConfig config;
  private final AdminClient admin = new AdminClient();

  public WorkloadRunner(WorkloadConfig config) {
    this.config = config;
  }

  public WorkloadResult run() throws IOException, InterruptedException {
    Schedule schedule = Schedule.of(config.profile());
    WorkloadProfile p = schedule.profile();
    List<URI> targets = config.targets();
    String mode = null;
    for (URI t : targets) {
      mode = admin.health(t).path("mode").asText(null);
    }
    URI primary = targets.get(0);
    if (config.seedInventory()) {
      admin.replaceInventory(primary, p.inventory());
    }
    if (config.applyFaults() && p.faults() != null) {
      for (URI t : targets) {
        admin.setFaults(t, p.faults());
      }
    }
    Map<String, Long> initial = AdminClient.quantities(admin.inventory(primary));
    for (URI t : targets.subList(1, targets.size())) {
      // Seeding and reconciliation go through the first target, which is only right if every
      // target sees the same store (PostgreSQL, or one shared H2): check rather than assume.
      Map<String, Long> seen = AdminClient.quantities(admin.inventory(t));
      if (!seen.equals(initial)) {
        throw new IOException("targets do not share one store: " + primary + " has " + initial
            + " but " + t + " has " + seen);
      }
    }

    List<OpenLoopSender.TimedAction> actions = new ArrayList<>();
    for (double at : p.restartWorkersAtSeconds()) {
      actions.add(new OpenLoopSender.TimedAction(at, "restart-workers", () -> {
        List<JsonNode> reports = new ArrayList<>();
        for (URI t : targets) {
          reports.add(admin.restartWorkers(t));
        }
        return reports;
      }));
    }
    OpenLoopSender.Result run = new OpenLoopSender(targets, p.client(), p.seed()).run(schedule, actions);

    Map<String, Long> remaining = AdminClient.quantities(admin.inventory(primary));
    List<JsonNode> stats = new ArrayList<>();
    for (URI t : targets) {
      stats.add(admin.stats(t));
    }
    GroundTruth truth = GroundTruth.compute(schedule, targets, mode, run, initial, remaining, stats);
    return new WorkloadResult(schedule, run, truth);
  }
}
