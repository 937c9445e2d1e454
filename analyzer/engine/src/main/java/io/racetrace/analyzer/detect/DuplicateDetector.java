package io.racetrace.analyzer.detect;

import io.racetrace.analyzer.correlate.Exec;
import io.racetrace.analyzer.model.Results.DuplicateResult;
import io.racetrace.analyzer.model.TimelineExample;
import io.racetrace.analyzer.read.Ev;
import io.racetrace.analyzer.util.FingerprintSet;
import io.racetrace.trace.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Duplicate confirmations: one request id confirmed more than once, each time backed by a
 * successful write of its own (an unsafe service processing a duplicate delivery twice). An
 * idempotent replay (a SUCCESS answer without a successful write, for an id already confirmed) is
 * not a duplicate; neither is a client retry whose earlier attempt failed. A replay may also answer
 * an execution whose write committed but whose own answer was not SUCCESS (a worker restart's 503
 * after the commit): the replay is then the id's confirmation, of that write ({@link Exec#answers}),
 * and a later write-backed confirmation of the id is a duplicate.
 *
 * <p>Memory: request ids are tracked as 64-bit fingerprints ({@code TraceCursor.requestIdHash}) with
 * a 2-bit state (seen / confirmed / confirmed twice) in two generations of a primitive set, 16-32
 * bytes per id: the current generation and the one before it. A generation is retired after
 * {@code horizon} of capture time or once it holds {@code maxIdsPerGeneration} ids, whichever comes
 * first, so a duplicate is always caught when the two confirmations are at most {@code horizon}
 * and at most {@code maxIdsPerGeneration} requests apart (and may be caught up to twice that).
 * Memory is bounded by twice that many ids (64 MB for the default 2,000,000), whatever the length
 * of the capture. Two distinct ids share a fingerprint with probability about n^2 / 2^63 (1e-5 for
 * ten million ids), which could only add a false duplicate, never hide one.
 *
 * <p>Evidence: the last {@link #RING} confirmed executions are kept so that an example can show
 * both confirmations.
 */
public final class DuplicateDetector implements Detector<DuplicateDetector> {
  static final int RING = 4096;
  public static final int DEFAULT_MAX_IDS = 2_000_000;
  static final int SEEN = 1;
  static final int CONFIRMED = 2;
  static final int DUPLICATED = 3;
  /**
   * Ids answered SUCCESS without a write before any write-backed confirmation (state SEEN; DUPLICATED
   * once taken): a write-backed confirmation completed late (its transaction waited for another's
   * row, see the correlator) turns that earlier-completed answer into its replay.
   */
  private final FingerprintSet unbackedSeen = new FingerprintSet(1 << 10);

  /**
   * Executions whose write committed but which were answered otherwise, by id, until a replay
   * answers them; at most {@link #MAX_UNANSWERED}, the oldest dropped first (its replay then counts
   * as a confirmation without a write, as before).
   */
  private final java.util.LinkedHashMap<Long, Exec> committedUnanswered = new java.util.LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<Long, Exec> eldest) {
      return size() > MAX_UNANSWERED;
    }
  };
  static final int MAX_UNANSWERED = 1 << 16;

  private final long horizon;
  private final int maxIds;
  private FingerprintSet current = new FingerprintSet(1 << 16);
  private FingerprintSet previous = new FingerprintSet(16);
  private long generationStart = Long.MIN_VALUE;
  private long generations = 1;

  private final Exec[] recent = new Exec[RING];
  private int recentNext;
  private final List<Exec[]> examplePairs = new ArrayList<>();

  private long duplicates;
  private long idsDuplicated;
  private long replays;
  private long unbacked;
  private long clientRetries;
  private long withoutId;

  public DuplicateDetector(long horizonNanos, int maxIdsPerGeneration) {
    this.horizon = horizonNanos;
    this.maxIds = maxIdsPerGeneration;
  }

  /**
   * A completed execution with its REQUEST row.
   *
   * @return true if it was a duplicate confirmation
   */
  public boolean onExecution(Exec exec) {
    Ev request = exec.request;
    long now = request.endWall;
    if (generationStart == Long.MIN_VALUE) {
      generationStart = now;
    } else if (now - generationStart > horizon || current.size() >= maxIds) {
      previous = current;
      current = new FingerprintSet(Math.min(maxIds, Math.max(1 << 16, previous.size())));
      generationStart = now;
      generations++;
    }
    long fp = request.reqHash;
    if (fp == 0) {
      withoutId++; // no request id: the probe extracts none, or it was absent at run time
      return false;
    }
    // One probe: look up and, for a new id, insert it as seen at once.
    int state = current.addIfAbsent(fp, SEEN);
    if (state == 0 && previous.size() > 0) {
      state = previous.state(fp);
      if (state != 0) {
        current.set(fp, state);
      }
    }
    if (state != 0) {
      clientRetries++;
    }
    boolean writeBacked = request.result == Result.SUCCESS && exec.writeSuccess > 0;
    boolean duplicate = false;
    if (writeBacked) {
      if (state < CONFIRMED && exec.completedLate && unbackedSeen.state(fp) == SEEN) {
        unbacked--; // that answer was this confirmation's replay, completed first
        replays++;
        unbackedSeen.set(fp, DUPLICATED);
      }
      if (state >= CONFIRMED) {
        duplicate = true;
        duplicates++;
        if (state == CONFIRMED) {
          idsDuplicated++; // first time this id is seen confirmed twice
          current.set(fp, DUPLICATED);
        }
        if (examplePairs.size() < LostUpdateDetector.MAX_EXAMPLES) {
          examplePairs.add(new Exec[] {findRecent(fp), exec});
        }
      } else {
        current.set(fp, CONFIRMED);
        committedUnanswered.remove(fp);
      }
      remember(exec);
    } else if (request.result == Result.SUCCESS) {
      Exec answered = state >= CONFIRMED ? null : committedUnanswered.remove(fp);
      if (state >= CONFIRMED) {
        replays++;
      } else if (answered != null) {
        replays++;
        exec.answers = answered;
        current.set(fp, CONFIRMED);
        remember(answered);
      } else {
        unbacked++;
        unbackedSeen.addIfAbsent(fp, SEEN);
      }
    } else if (exec.writeSuccess > 0 && state < CONFIRMED) {
      committedUnanswered.put(fp, exec);
    }
    return duplicate;
  }

  private void remember(Exec exec) {
    recent[recentNext] = exec;
    recentNext = (recentNext + 1) % RING;
  }

  private Exec findRecent(long fp) {
    for (int i = 1; i <= RING; i++) {
      Exec e = recent[Math.floorMod(recentNext - i, RING)];
      if (e != null && e.reqHash == fp) {
        return e;
      }
    }
    return null;
  }

  /**
   * Exact while every partition holds one generation of ids (a capture shorter than the horizon,
   * with fewer ids than {@code maxIdsPerGeneration}); beyond that, generations are merged pairwise
   * (current with current), which can only keep an id longer, never forget one sooner.
   */
  @Override
  public void merge(DuplicateDetector o) {
    if (current.size() == 0 && previous.size() == 0) {
      current = o.current; // this one saw no ids (the rows' set of a pipelined run): take the sets, not a copy
      previous = o.previous;
    } else {
      current.addAll(o.current);
      previous.addAll(o.previous);
    }
    unbackedSeen.addAll(o.unbackedSeen);
    committedUnanswered.putAll(o.committedUnanswered);
    generations = Math.max(generations, o.generations);
    if (generationStart == Long.MIN_VALUE || o.generationStart != Long.MIN_VALUE && o.generationStart < generationStart) {
      generationStart = o.generationStart;
    }
    duplicates += o.duplicates;
    idsDuplicated += o.idsDuplicated;
    replays += o.replays;
    unbacked += o.unbacked;
    clientRetries += o.clientRetries;
    withoutId += o.withoutId;
    // Evidence: the first pairs by completion, and the ring's latest confirmed executions.
    examplePairs.addAll(o.examplePairs);
    examplePairs.sort(Comparator.comparingLong((Exec[] p) -> p[1].request.seq));
    while (examplePairs.size() > LostUpdateDetector.MAX_EXAMPLES) {
      examplePairs.remove(examplePairs.size() - 1);
    }
    List<Exec> ring = new ArrayList<>();
    for (Exec[] r : List.of(recent, o.recent)) {
      for (Exec x : r) {
        if (x != null) {
          ring.add(x);
        }
      }
    }
    ring.sort(Comparator.comparingLong((Exec x) -> x.request.seq));
    java.util.Arrays.fill(recent, null);
    int from = Math.max(0, ring.size() - RING);
    recentNext = 0;
    for (int i = from; i < ring.size(); i++) {
      remember(ring.get(i));
    }
  }

  public long duplicates() {
    return duplicates;
  }

  public long clientRetries() {
    return clientRetries;
  }

  /** A duplicate confirmation's evidence: the first confirmed execution ({@code null} if older than the ring) and the second. */
  public record Pair(Exec first, Exec second) {}

  /** The first duplicate confirmations (at most {@code MAX_EXAMPLES}), in completion order. */
  public List<Pair> evidence() {
    return examplePairs.stream().map(p -> new Pair(p[0], p[1])).toList();
  }

  /** @param examples the timeline examples made of {@link #evidence()} (the report's words) */
  public DuplicateResult result(List<TimelineExample> examples) {
    return new DuplicateResult(duplicates, idsDuplicated, replays, unbacked, clientRetries,
        current.size() + previous.size(), horizon / 1e9, maxIds, generations, withoutId, examples);
  }
}
