package io.racetrace.analyzer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * One release criterion's bound. Exactly one of {@code max} (the value must not exceed it) and
 * {@code below} (the value must stay strictly under it) is set; {@code conditionalAbove}, if set,
 * marks the band between it and the bound as a conditional pass.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limit(Double max, Double below, Double conditionalAbove) {
  @JsonCreator
  public Limit(
      @JsonProperty("max") Double max,
      @JsonProperty("below") Double below,
      @JsonProperty("conditionalAbove") Double conditionalAbove) {
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

  /** The bound, for thresholds derived from it. */
  public double bound() {
    return max != null ? max : below;
  }

  /** "below 150 ms", "0", "at most 3; conditional above 1.1". */
  public String describe(String unit) {
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
    UNKNOWN;

    public String label() {
      return switch (this) {
        case PASS -> "pass";
        case CONDITIONAL -> "conditional pass";
        case FAIL -> "fail";
        case UNKNOWN -> "not measured";
      };
    }
  }
}
