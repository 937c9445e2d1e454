package io.racetrace.agent.core.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.racetrace.agent.core.extract.ExtractorPath;

/**
 * A write probe's {@code amount:} as the probe file gives it: an extractor path like any other
 * field's, checked on its own so that a path that cannot be a number of units is reported at the
 * field's line ({@code probes[2].amount: ...}) rather than at the probe's. Which types a path
 * reaches is known only when the probe is woven into a method; that check is {@code AmountCheck}.
 */
record AmountPath(ExtractorPath path) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static AmountPath fromYaml(Object raw) {
    if (!(raw instanceof String || raw instanceof Number)) {
      throw new IllegalArgumentException("an amount must be a path to a number such as arg2 or arg0.units(), or a number");
    }
    ExtractorPath p = ExtractorPath.parse(raw.toString());
    if (p.root() == ExtractorPath.Root.THROWN) {
      throw new IllegalArgumentException("'" + p + "' is not a number of units: thrown is the exception the write threw");
    }
    if (p.comparison() != null) {
      throw new IllegalArgumentException("'" + p + "' is not a number of units: a comparison gives true or false");
    }
    return new AmountPath(p);
  }
}
