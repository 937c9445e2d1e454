package io.racetrace.analyzer.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The smallest set of real rows that proves one anomaly, as a timeline with one lane per request
 * execution ("Client A", "Client B"): the Client A / Client B table of the validation plan step 2.
 *
 * @param kind {@code lost_update}, {@code cas_violation}, {@code duplicate_confirmation} or
 *     {@code retry_over_limit}
 * @param lanes the request id of each lane, in lane order
 */
public record TimelineExample(
    String kind, String key, String title, String explanation, List<String> lanes, List<Step> steps) {

  /**
   * One row of the example.
   *
   * @param seq the row's position on the merged timeline (its line in rows.csv, 0-based)
   * @param lane index into {@link TimelineExample#lanes}
   * @param tMs end time of the row in milliseconds since the first row of the capture
   * @param text what happened, in the validation plan's words: "read I=1 (v7)", "write I=0 v8 and confirm"
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      long seq,
      int lane,
      String worker,
      long threadId,
      String kind,
      String result,
      String requestId,
      int attempt,
      Long readVersion,
      Long expectedVersion,
      Long writtenVersion,
      Long value,
      /** The units a write took (its probe's {@code amount:}), present only when the row carries them. */
      Long amount,
      long startWallNanos,
      long endWallNanos,
      double startMs,
      double tMs,
      String text) {}
}
