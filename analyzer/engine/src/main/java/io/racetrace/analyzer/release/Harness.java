package io.racetrace.analyzer.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.Results;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What each phase injected, read from what was measured: storage faults from the capture, client
 * retries, duplicate sends and worker restarts from the load generator's ground truth (the service
 * cannot tell a duplicate send from a retry). A phase without ground truth says those are not recorded.
 */
final class Harness {
  private Harness() {}

  static ReleasePackage.HarnessPhase row(Phase p, Links links) {
    AnalysisResult r = p.report();
    Results.Detectors d = r.detectors();
    return new ReleasePackage.HarnessPhase(p.build(), p.name(), p.role(), links.report(p, null),
        r.summary().requests(), injects(p), d.invariant().mismatch(), d.lostUpdates().lostUpdates(),
        d.duplicates().duplicateConfirmations(), r.release().decision());
  }

  static List<String> injects(Phase p) {
    List<String> in = new ArrayList<>();
    if (p.role().equals(Phase.REPRODUCTION)) {
      Results.Summary s = p.report().summary();
      in.add(String.format(Locale.ROOT, "controlled two-client race: %d requests on %d key(s)", s.requests(), s.keys()));
    }
    long faults = storageFaults(p);
    if (faults > 0) {
      Results.StorageFaultResult f = p.report().detectors().storageFaults();
      in.add(String.format(Locale.ROOT, "storage faults: %d timeouts, %d errors", f.readTimeouts() + f.writeTimeouts(),
          f.readErrors() + f.writeErrors()));
    }
    if (p.groundTruth() == null) {
      long seen = p.report().detectors().duplicates().clientRetries();
      if (seen > 0) {
        in.add("client retries seen by the service: " + seen);
      }
      in.add("client retries, duplicate sends and restarts not recorded (no ground-truth.json)");
    } else {
      if (clientRetries(p) > 0) {
        in.add("client retries: " + clientRetries(p));
      }
      if (duplicateSends(p) > 0) {
        in.add("duplicate requests: " + duplicateSends(p));
      }
      if (restarts(p) > 0) {
        in.add("worker restarts: " + restarts(p));
      }
    }
    if (in.isEmpty()) {
      in.add("none measured");
    }
    return in;
  }

  static long storageFaults(Phase p) {
    Results.StorageFaultResult f = p.report().detectors().storageFaults();
    return f.readTimeouts() + f.writeTimeouts() + f.readErrors() + f.writeErrors();
  }

  static long clientRetries(Phase p) {
    JsonNode n = p.truth("/requests/retries");
    return n == null ? 0 : n.asLong();
  }

  static long duplicateSends(Phase p) {
    JsonNode n = p.truth("/requests/duplicateSends");
    return n == null ? 0 : n.asLong();
  }

  /** Restart actions the driver ran without an error. */
  static long restarts(Phase p) {
    JsonNode actions = p.truth("/actions");
    long n = 0;
    if (actions != null) {
      for (JsonNode a : actions) {
        if (a.path("name").asText().contains("restart") && !a.has("error")) {
          n++;
        }
      }
    }
    return n;
  }

  /** Worker threads of the service, summed over its instances (the service's /admin/stats in the ground truth). */
  static Integer workers(Phase p) {
    JsonNode server = p.truth("/server");
    if (server == null || !server.isArray() || server.isEmpty()) {
      return null;
    }
    int sum = 0;
    for (JsonNode s : server) {
      if (!s.path("workers").canConvertToInt() || !s.path("workers").isNumber()) {
        return null;
      }
      sum += s.path("workers").asInt();
    }
    return sum;
  }
}
