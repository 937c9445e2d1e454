package io.racetrace.spring.web;

/** A client mistake found before anything changed (answered 400). */
public class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }
}
