package io.racetrace.spring.reservation;

/** Safe path: a request id already decided for another sku or number of units (answered 422). */
public class RequestIdReuseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RequestIdReuseException(String requestId, Reservation prior) {
    super("request id " + requestId + " was decided for " + prior.getUnits() + " of " + prior.getSku());
  }
}
