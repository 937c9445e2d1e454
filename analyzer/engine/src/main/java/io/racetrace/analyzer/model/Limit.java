package io.racetrace.analyzer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * One release criterion's bound. Exactly one of {@code max} (the value must not exceed it) and
 * {@code below} (the value must stay strictly under it) is set; {@code conditionalAbove}, if set,
 * marks the band between it and the bound as a conditional pass. {@link #OFF} (written {@code off}
 * in a criteria file) turns the criterion off: it is shown, never judged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limit(Double max, Double below, Double conditionalAbove, Boolean off) {
  /** A criterion the user turned off. */
  public static final Limit OFF = new Limit(null, null, null, Boolean.TRUE);

  public Limit(Double max, Double below, Double conditionalAbove) {
    this(max, below, conditionalAbove, null);
  }

  /**
   * {@code off} in a criteria file. YAML 1.1 reads a bare {@code off} (or {@code false}, {@code no})
   * as the boolean false, hence the boolean form; JSON and quoted YAML give the string.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Limit parse(boolean enabled) {
    if (!enabled) {
      return OFF;
    }
    throw new IllegalArgumentException("expected 'off' or a mapping with 'max' or 'below', like {below: 150}");
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Limit parse(String s) {
    if (s != null && s.trim().equalsIgnoreCase("off")) {
      return OFF;
    }
    throw new IllegalArgumentException("expected 'off' or a mapping with 'max' or 'below', like {below: 150}");
  }

  @JsonCreator
  public Limit(
      @JsonProperty("max") Double max,
      @JsonProperty("below") Double below,
      @JsonProperty("conditionalAbove") Double conditionalAbove,
      @JsonProperty("off") Boolean off) {
    if (Boolean.TRUE.equals(off)) {
      if (max != null || below != null || conditionalAbove != null) {
        throw new IllegalArgumentException("a criterion that is off has no bound");
      }
      this.max = null;
      this.below = null;
      this.conditionalAbove = null;
      this.off = Boolean.TRUE;
      return;
    }
    if ((max == null) == (below == null)) {
      throw new IllegalArgumentException("set exactly one of 'max' and 'below'");
    }
    double bound = max != null ? max : below;
    if (bound < 0 || Double.isNaN(bound)) {
      throw new IllegalArgumentException("bound must be a number >= 0");
    }
    if (conditionalAbove != null && (conditionalAbove < 0 || conditionalAbove >= bound)) {
      throw new IllegalArgumentException("'conditionalAbove' must be >= 0 and below the bound " + bound);
    }
    this.max = max;
    this.below = below;
    this.conditionalAbove = conditionalAbove;
    this.off = null;
  }

  /** Not a bean getter on purpose: the component {@code off} is what reports carry, and only when set. */
  public boolean turnedOff() {
    return Boolean.TRUE.equals(off);
  }

  public static Limit max(double v) {
    return new Limit(v, null, null);
  }

  public static Limit below(double v) {
    return new Limit(null, v, null);
  }

  public Limit withConditionalAbove(double v) {
    return new Limit(max, below, v);
  }

  public Status evaluate(double value) {
    if (turnedOff()) {
      return Status.OFF;
    }
    if (Double.isNaN(value)) {
      return Status.UNKNOWN;
    }
    boolean fail = max != null ? value > max : value >= below;
    if (fail) {
      return Status.FAIL;
    }
    if (conditionalAbove != null && value > conditionalAbove) {
      return Status.CONDITIONAL;
    }
    return Status.PASS;
  }

  /** The bound, for thresholds derived from it; infinite for a criterion that is off. */
  public double bound() {
    return turnedOff() ? Double.POSITIVE_INFINITY : max != null ? max : below;
  }

  /** "below 150 ms", "0", "at most 3; conditional above 1.1". */
  public String describe(String unit) {
    if (turnedOff()) {
      return "off";
    }
    String u = unit.isEmpty() ? "" : unit.equals("%") ? "%" : " " + unit;
    String s = max != null ? (max == 0 ? "0" : "at most " + num(max) + u) : "below " + num(below) + u;
    if (conditionalAbove != null) {
      s += " (conditional above " + num(conditionalAbove) + u + ")";
    }
    return s;
  }

  static String num(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%s", d);
  }

  /** Outcome of a criterion. */
  public enum Status {
    PASS,
    CONDITIONAL,
    FAIL,
    /** The metric could not be measured from the capture; counts as a failure for release. */
    UNKNOWN,
    /**
     * The probe file has no probe of the role the metric needs (no arrival probe: a synchronous
     * service has no queue delay; no request id: duplicates by id are not defined). Does not block.
     */
    NOT_APPLICABLE,
    /** The criteria file turned the criterion off. Does not block. */
    OFF;

    public String label() {
      return switch (this) {
        case PASS -> "pass";
        case CONDITIONAL -> "conditional pass";
        case FAIL -> "fail";
        case UNKNOWN -> "not measured";
        case NOT_APPLICABLE -> "not applicable";
        case OFF -> "off";
      };
    }
  }
}
