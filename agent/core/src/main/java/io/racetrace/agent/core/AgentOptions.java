package io.racetrace.agent.core;

import io.racetrace.agent.core.probe.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's arguments, {@code key=value} pairs separated by commas:
 * {@code probes=FILE,queue=DIR[,worker=NAME][,duration=60s][,ring=32768][,minFreeMb=512]
 * [,blockKb=65536][,hashIds=true[,hashSalt=S]][,callTiming=exit|full][,budget=PERCENT[,sampleFloor=PERCENT]][,debug=true]}.
 * Immutable once parsed; an unknown key or a bad value is a one-line {@link IllegalArgumentException}.
 */
public final class AgentOptions {
  public final Path probes;
  public final Path queue;
  public final String worker;
  public final Duration duration;
  /** Rows the ring has room for, at 128 bytes of heap each (rows of 40 to 100 bytes take less). */
  public final int ringCapacity;
  /** The largest {@code ring}: a 1 GB array. */
  public static final int MAX_RING = 1 << 23;
  /** How often the writer thread drains the ring while rows come (milliseconds); it backs off to 5× that idle. */
  public final int flushMillis;
  public final long minFreeBytes;
  public final boolean debug;
  /** Chronicle block size: small blocks make small files, for captures meant to be shared or checked in. */
  public final long blockBytes;
  /** Hash keys and request ids before they reach the disk (captures from production). */
  public final String hashSalt;
  /**
   * Whether reads, writes and arrivals also take their entry time ({@code callTiming=full}); by
   * default ({@code exit}) they take one clock reading, at exit, which halves the clock cost per
   * event. Requests always take both: their latency is measured.
   */
  public final boolean callEntryTime;
  /**
   * Overhead budget in thousandths of the process's CPU time, or 0 for none. Past it, the agent
   * captures fewer keys (whole keys, never part of one).
   */
  public final int budgetPermille;
  /**
   * With a budget, the least share of keys kept, as a sampling level out of 65,536 (from {@code
   * sampleFloor=PERCENT}, default 0.1 %, one key in 1024).
   */
  public final int sampleFloorLevel;
  /** The default {@link #sampleFloorLevel}: one key in 1024. */
  public static final int DEFAULT_SAMPLE_FLOOR_LEVEL = io.racetrace.trace.TraceSchema.SAMPLE_ALL >> 10;
  private final String text;

  private AgentOptions(Map<String, String> kv, String text) {
    this.text = text;
    String p = kv.remove("probes");
    String q = kv.remove("queue");
    if (p == null || p.isBlank()) {
      throw new IllegalArgumentException("missing probes=FILE in the agent arguments");
    }
    if (q == null || q.isBlank()) {
      throw new IllegalArgumentException("missing queue=DIR in the agent arguments");
    }
    probes = Path.of(p).toAbsolutePath();
    queue = Path.of(q).toAbsolutePath();
    worker = kv.remove("worker");
    String d = kv.remove("duration");
    duration = d == null ? null : Durations.parse(d, "duration");
    ringCapacity = intOption(kv.remove("ring"), 1 << 15, "ring");
    if (Integer.bitCount(ringCapacity) != 1 || ringCapacity < 64 || ringCapacity > MAX_RING) {
      throw new IllegalArgumentException("ring must be a power of two from 64 to " + MAX_RING + ", not " + ringCapacity);
    }
    minFreeBytes = intOption(kv.remove("minFreeMb"), 512, "minFreeMb") * 1024L * 1024L;
    flushMillis = intOption(kv.remove("flushMs"), 100, "flushMs");
    if (flushMillis < 1 || flushMillis > 1000) {
      throw new IllegalArgumentException("flushMs must be between 1 and 1000, not " + flushMillis);
    }
    debug = Boolean.parseBoolean(kv.remove("debug"));
    blockBytes = intOption(kv.remove("blockKb"), 65536, "blockKb") * 1024L;
    if (blockBytes < 64 * 1024) {
      throw new IllegalArgumentException("blockKb must be at least 64");
    }
    String hash = kv.remove("hashIds");
    String salt = kv.remove("hashSalt");
    hashSalt = "true".equals(hash) ? (salt == null ? "" : salt) : null;
    if (hash != null && !hash.equals("true") && !hash.equals("false")) {
      throw new IllegalArgumentException("hashIds must be true or false, not '" + hash + "'");
    }
    String timing = kv.remove("callTiming");
    if (timing != null && !timing.equals("exit") && !timing.equals("full")) {
      throw new IllegalArgumentException("callTiming must be exit or full, not '" + timing + "'");
    }
    callEntryTime = "full".equals(timing);
    budgetPermille = budget(kv.remove("budget"));
    String floor = kv.remove("sampleFloor");
    sampleFloorLevel = floor == null ? DEFAULT_SAMPLE_FLOOR_LEVEL
        : (int) Math.max(1, Math.round(percent(floor, "sampleFloor", 0.01) / 100 * io.racetrace.trace.TraceSchema.SAMPLE_ALL));
    if (floor != null && budgetPermille == 0) {
      throw new IllegalArgumentException("sampleFloor needs a budget (budget=PERCENT)");
    }
    if (!kv.isEmpty()) {
      throw new IllegalArgumentException("unknown agent option '" + kv.keySet().iterator().next()
          + "' (known: probes, queue, worker, duration, ring, flushMs, minFreeMb, blockKb, hashIds, hashSalt, callTiming,"
          + " budget, sampleFloor, debug)");
    }
  }

  private static int budget(String v) {
    return v == null ? 0 : (int) Math.round(percent(v, "budget", 0.1) * 10);
  }

  /** A percentage from {@code min} to 100, with or without a trailing {@code %}. */
  private static double percent(String v, String name, double min) {
    String t = v.endsWith("%") ? v.substring(0, v.length() - 1).trim() : v;
    double pct;
    try {
      pct = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      pct = Double.NaN;
    }
    if (!(pct >= min && pct <= 100)) {
      throw new IllegalArgumentException(name + " must be a percentage from "
          + java.math.BigDecimal.valueOf(min).toPlainString() + " to 100, not '" + v + "'");
    }
    return pct;
  }

  private static int intOption(String v, int dflt, String name) {
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
    }
  }

  public static AgentOptions parse(String args) {
    Map<String, String> kv = new LinkedHashMap<>();
    if (args != null && !args.isBlank()) {
      for (String part : args.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("bad agent argument '" + part + "' (expected key=value)");
        }
        kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return new AgentOptions(kv, args == null ? "" : args);
  }

  /** The options as given, with the hash salt masked: this string is written into the capture. */
  @Override
  public String toString() {
    return text.replaceAll("hashSalt=[^,]*", "hashSalt=***");
  }
}
