package io.racetrace.spring.reservation;

import io.racetrace.spring.ReservationSettings;
import io.racetrace.spring.web.BadRequestException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /reservations/racy} and {@code POST /reservations/safe}: body
 * {@code {"sku":"sku-1","units":2}}, request id in the {@code X-Request-Id} header. 200 CONFIRMED,
 * 409 SOLD_OUT or CONFLICT, with a {@link ReservationResult} body either way.
 */
@RestController
@RequestMapping("/reservations")
public class ReservationController {
  static final String REQUEST_ID = "X-Request-Id";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final RacyReservationService racy;
  private final SafeReservationService safe;
  private final ReservationSettings settings;

  public ReservationController(RacyReservationService racy, SafeReservationService safe, ReservationSettings settings) {
    this.racy = racy;
    this.safe = safe;
    this.settings = settings;
  }

  /** The body of a reservation request. */
  public record ReservationRequest(String sku, Integer units) {}

  @PostMapping("/racy")
  public ResponseEntity<ReservationResult> racy(
      @RequestHeader(REQUEST_ID) String requestId, @RequestBody ReservationRequest body) {
    validate(requestId, body);
    return answer(racy.reserve(requestId, body.sku(), body.units()));
  }

  @PostMapping("/safe")
  public ResponseEntity<ReservationResult> safe(
      @RequestHeader(REQUEST_ID) String requestId, @RequestBody ReservationRequest body) {
    validate(requestId, body);
    return answer(safe.reserve(requestId, body.sku(), body.units()));
  }

  private void validate(String requestId, ReservationRequest body) {
    if (!ID.matcher(requestId).matches()) {
      throw new BadRequestException(REQUEST_ID + " must match " + ID);
    }
    if (body.sku() == null || !SKU.matcher(body.sku()).matches()) {
      throw new BadRequestException("sku must match " + SKU);
    }
    if (body.units() == null || body.units() < 1 || body.units() > settings.maxUnits()) {
      throw new BadRequestException("units must be a whole number in [1, " + settings.maxUnits() + "]");
    }
  }

  private static ResponseEntity<ReservationResult> answer(ReservationResult r) {
    HttpStatus status = r.status() == ReservationStatus.CONFIRMED ? HttpStatus.OK : HttpStatus.CONFLICT;
    return ResponseEntity.status(status).body(r);
  }
}
