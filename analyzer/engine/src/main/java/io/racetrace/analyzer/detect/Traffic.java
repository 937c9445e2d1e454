package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.read.Ev;

/** Requests by outcome, for the summary and the timeline. */
public final class Traffic implements Detector<Traffic> {
  public long requests;
  public long confirmations;
  public long rejected;
  public long conflictResponses;
  public long errors5xx;

  void onExecution(Exec x, TimeBuckets buckets) {
    Ev r = x.request;
    requests++;
    buckets.add(TimeBuckets.REQUESTS, r.endWall, 1);
    switch (r.result) {
      case SUCCESS -> confirmations++;
      case REJECTED -> rejected++;
      case CONFLICT -> {
        conflictResponses++;
        buckets.add(TimeBuckets.CONFLICT_RESPONSES, r.endWall, 1);
      }
      case TIMEOUT, ERROR -> {
        errors5xx++;
        buckets.add(TimeBuckets.ERRORS_5XX, r.endWall, 1);
      }
      default -> { }
    }
  }

  @Override
  public void merge(Traffic o) {
    requests += o.requests;
    confirmations += o.confirmations;
    rejected += o.rejected;
    conflictResponses += o.conflictResponses;
    errors5xx += o.errors5xx;
  }
}
