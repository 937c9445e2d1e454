package io.racetrace.target.http;

/** A client-side problem found before anything was changed: answered with {@code status}. */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
