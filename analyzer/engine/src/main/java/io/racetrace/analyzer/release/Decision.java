package io.racetrace.analyzer.release;

import io.racetrace.analyzer.model.Results;
import java.util.ArrayList;
import java.util.List;

/**
 * The package's decision: the most severe of the retest's own release gate and the items (a failed
 * item blocks; a conditional or untested one allows a canary at most), so it is never more lenient
 * than the gate. Then the rollout item, which says how the decision may be rolled out.
 */
final class Decision {
  static final List<String> ORDER = List.of("release", "canary", "do_not_release", "recapture");

  private Decision() {}

  static ReleasePackage.Decision decide(List<ReleasePackage.Item> items, Results.Release gate,
      List<Results.Trigger> triggers) {
    int severity = Math.max(0, ORDER.indexOf(gate.decision()));
    List<String> failed = new ArrayList<>();
    List<String> open = new ArrayList<>();
    for (ReleasePackage.Item i : items) {
      if (i.status().equals(Items.FAIL)) {
        failed.add(i.item() + " (" + i.evidence() + ")");
        severity = Math.max(severity, 2);
      } else if (!i.status().equals(Items.PASS)) {
        open.add(i.item() + " " + i.status());
        severity = Math.max(severity, 1);
      }
    }
    String decision = ORDER.get(severity);
    String text = switch (decision) {
      case "recapture" -> "No release verdict: " + gate.decisionText();
      case "do_not_release" -> "Do not release: " + (failed.isEmpty() ? "" : String.join("; ", failed) + ". ")
          + (gate.decision().equals("do_not_release") ? "The retest's release gate: " + gate.decisionText() : "");
      case "canary" -> "Release to canary only" + (open.isEmpty() ? "" : " (" + String.join(", ", open) + ")")
          + ". Expand the rollout while no monitoring trigger fires: " + triggerList(triggers) + ".";
      default -> "Release with a staged rollout and the monitoring triggers armed: every item passes.";
    };
    return new ReleasePackage.Decision(decision, text.trim(), gate.decision(), severity <= 1 ? 0 : 1);
  }

  /** The canary's conditions: the triggers with their thresholds from the tested envelope. */
  private static String triggerList(List<Results.Trigger> triggers) {
    List<String> c = new ArrayList<>();
    for (Results.Trigger t : triggers) {
      c.add(t.alert() + " (" + t.threshold() + ")");
    }
    return c.isEmpty() ? "none derived" : String.join("; ", c);
  }

  static ReleasePackage.Item rollout(ReleasePackage.Decision d, List<Results.Trigger> triggers) {
    boolean rollback = triggers.stream().anyMatch(t -> t.alert().startsWith("invariant mismatch"));
    String status;
    String ev;
    switch (d.decision()) {
      case "release" -> {
        status = rollback ? Items.PASS : Items.CONDITIONAL;
        ev = "staged rollout" + (rollback ? " with the invariant mismatch rollback trigger" : ", no invariant trigger");
      }
      case "canary" -> {
        status = Items.CONDITIONAL;
        ev = "canary only" + (rollback ? ", rolled back when invariant mismatch > 0" : "") + "; "
            + triggers.size() + " monitoring triggers from the tested envelope";
      }
      default -> {
        status = Items.FAIL;
        ev = "no rollout: " + d.decision();
      }
    }
    return new ReleasePackage.Item("rollout", "rollout", status, ev, "#monitoring");
  }
}
