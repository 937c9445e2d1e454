package io.racetrace.spring.web;

import io.racetrace.spring.inventory.UnknownSkuException;
import io.racetrace.spring.reservation.RequestIdReuseException;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors as {@code {"error": code, "message": text}}, as the other reference service answers them. */
@RestControllerAdvice
public class ApiErrors {
  @ExceptionHandler(BadRequestException.class)
  ResponseEntity<Map<String, String>> badRequest(BadRequestException e) {
    return error(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<Map<String, String>> missingHeader(MissingRequestHeaderException e) {
    return error(HttpStatus.BAD_REQUEST, "bad_request", "missing header " + e.getHeaderName());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
    return error(HttpStatus.BAD_REQUEST, "bad_json", "the body is not the JSON object expected");
  }

  @ExceptionHandler(UnknownSkuException.class)
  ResponseEntity<Map<String, String>> unknownSku(UnknownSkuException e) {
    return error(HttpStatus.NOT_FOUND, "unknown_sku", e.getMessage());
  }

  @ExceptionHandler(RequestIdReuseException.class)
  ResponseEntity<Map<String, String>> reused(RequestIdReuseException e) {
    return error(HttpStatus.UNPROCESSABLE_ENTITY, "request_id_reused", e.getMessage());
  }

  /** The racy path repeating a request id: the unique constraint refused it, and nothing changed. */
  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<Map<String, String>> integrity(DataIntegrityViolationException e) {
    return error(HttpStatus.CONFLICT, "duplicate_request_id",
        "a unique constraint refused the write; the transaction was rolled back");
  }

  private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String message) {
    return ResponseEntity.status(status).body(Map.of("error", code, "message", message));
  }
}
