package io.racetrace.analyzer.judge;

import io.racetrace.analyzer.model.Results.Completeness;
import io.racetrace.analyzer.read.QueueSource;
import io.racetrace.trace.CaptureCounters;
import io.racetrace.trace.ProbeStatus;
import io.racetrace.trace.SamplingChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Is the capture complete? {@code invalid} when rows are known to be missing (the agent's drop
 * counters other than {@code droppedSampled}, gaps in per-thread sequence numbers, fewer rows in
 * the queue than its footer says were written); {@code unknown} when nothing says rows are missing but the capture cannot vouch for
 * itself (no footer: the tail was cut off; a probe that matched no method; no counters at all);
 * {@code valid} otherwise.
 *
 * <p>Rows the agent did not capture because it sampled keys ({@code droppedSampled}) are not
 * missing rows: they are whole keys, known from the sampling records and left out of the analysis,
 * so they do not make a capture invalid; {@link ReleaseGate} still caps a sampled capture's
 * decision. {@code rowsDroppedByAgent} counts the other drops only.
 */
public final class CompletenessJudge {
  private CompletenessJudge() {}

  /**
   * @param effectiveLevel the key-sampling level the rows were filtered at ({@code SamplingFilter}):
   *     rows the agent did not capture by sampling ({@code droppedSampled}) belong to keys the
   *     analysis excluded, so they are not counted as missing
   */
  public static Completeness judge(List<QueueSource> sources, long executionsWithoutRequestRow,
      long implausibleTimes, int effectiveLevel) {
    List<String> invalid = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    long rows = 0;
    long dropped = 0;
    long bySeq = 0;
    long notInFile = 0;
    for (QueueSource s : sources) {
      String w = "worker " + s.workerId() + " (" + s.dir + ")";
      rows += s.rows();
      CaptureCounters c = s.counters();
      // Rows not captured by key sampling are a known, bounded loss: whole keys, excluded from the
      // analysis (SamplingFilter). Only the other drops are unknown loss.
      long lost = c == null ? 0 : c.dropped() - c.droppedSampled();
      if (lost > 0) {
        dropped += lost;
        if (c.droppedSampled() == 0) {
          invalid.add(w + ": the agent dropped " + c.dropped() + " of " + c.rowsOffered() + " rows (ring full "
              + c.droppedRingFull() + ", disk low " + c.droppedDiskLow() + ", write errors " + c.droppedWriteError()
              + ", sampled " + c.droppedSampled() + ")");
        } else {
          invalid.add(w + ": the agent lost " + lost + " of " + c.rowsOffered() + " rows (ring full "
              + c.droppedRingFull() + ", disk low " + c.droppedDiskLow() + ", write errors " + c.droppedWriteError()
              + "), besides the " + c.droppedSampled() + " it did not capture by key sampling");
        }
      }
      if (c != null && c.droppedSampled() > 0 && s.samplingRecords() == 0 && s.plannedSampling() == null) {
        unknown.add(w + ": the agent counted " + c.droppedSampled() + " rows not captured by sampling but wrote no"
            + " sampling record: which keys are partial is unknown");
      }
      SamplingChange last = s.lastSampling();
      if (last != null && last.level() < effectiveLevel) {
        unknown.add(w + ": the sampling level fell to " + last.level() + " while the queue was being read (still"
            + " written?): keys with buckets from " + last.level() + " to " + (effectiveLevel - 1)
            + " were analyzed with a partial history");
      }
      if (s.seqGapRows() > 0) {
        bySeq += s.seqGapRows();
        invalid.add(w + ": " + s.seqGapRows() + " rows missing by per-thread sequence numbers (" + s.seqGaps()
            + " gaps)");
      }
      if (s.sawFooter() && c != null && c.rowsWritten() > s.rows()) {
        notInFile += c.rowsWritten() - s.rows();
        invalid.add(w + ": the footer says " + c.rowsWritten() + " rows were written but the queue holds " + s.rows());
      }
      if (!s.sawFooter()) {
        unknown.add(w + ": no footer - the capture was cut off (crash or kill -9), its tail is unknown");
      }
      if (c == null) {
        unknown.add(w + ": no drop counters were written");
      }
      if (c != null && c.extractorErrors() + c.adviceErrors() > 0) {
        unknown.add(w + ": " + c.extractorErrors() + " extractor and " + c.adviceErrors()
            + " advice errors: some rows may lack fields");
      }
      for (ProbeStatus p : s.probes()) {
        if (p.matchedMethods() == 0) {
          unknown.add(w + ": probe '" + p.name() + "' (" + p.role() + ", " + p.target()
              + ") matched no method: its events are missing");
        }
      }
      for (String t : s.incompleteTails()) {
        unknown.add(w + ": " + t);
      }
      if (s.header() == null) {
        unknown.add(w + ": no header record: worker identity and wall-clock anchor unknown");
      }
      if (s.seqBackwards() > 0) {
        unknown.add(w + ": " + s.seqBackwards() + " rows repeat or go back in per-thread sequence numbers");
      }
    }
    if (executionsWithoutRequestRow > 0) {
      unknown.add(executionsWithoutRequestRow + " request executions have storage rows but no REQUEST row");
    }
    if (implausibleTimes > 0) {
      unknown.add(implausibleTimes + " rows end before they start or last longer than a day: broken clocks or fields");
    }
    long missing = Math.max(dropped + notInFile, bySeq);
    double share = rows + missing == 0 ? 1.0 : (double) rows / (rows + missing);
    String verdict = !invalid.isEmpty() ? "invalid" : !unknown.isEmpty() ? "unknown" : "valid";
    List<String> reasons = new ArrayList<>(invalid);
    reasons.addAll(unknown);
    return new Completeness(verdict, share, rows, missing, dropped, bySeq, reasons);
  }
}
