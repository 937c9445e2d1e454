package io.racetrace.trace;

import java.util.Locale;

/** Outcome of a request or a write. Codes are part of the schema and never change meaning. */
public enum Result {
  /** Not applicable (reads, arrivals) or not captured. */
  NONE(0),
  SUCCESS(1),
  /** A version conflict: a conditional write that found another version, or a request answered "conflict". */
  CONFLICT(2),
  /** Refused by the business rule (e.g. sold out); not a fault. */
  REJECTED(3),
  TIMEOUT(4),
  ERROR(5);

  private static final Result[] BY_CODE = values();

  public final int code;

  Result(int code) {
    this.code = code;
  }

  /** Returns the result for a code, or {@code null} if the code is not known to this schema. */
  public static Result ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Parses a probe-file spelling such as {@code success} or {@code Conflict}. */
  public static Result parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
