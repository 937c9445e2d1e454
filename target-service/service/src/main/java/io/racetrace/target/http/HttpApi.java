package io.racetrace.target.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.racetrace.target.IdempotencyKeyReuseException;
import io.racetrace.target.QueueFullException;
import io.racetrace.target.ReservationCallback;
import io.racetrace.target.ReservationReceipt;
import io.racetrace.target.ReservationRequest;
import io.racetrace.target.TargetService;
import io.racetrace.target.UnknownSkuException;
import io.racetrace.target.WorkerRestartException;
import io.racetrace.target.fault.FaultSettings;
import io.racetrace.target.store.InventoryRow;
import io.racetrace.target.store.StorageException;
import io.racetrace.target.store.StorageTimeoutException;
import io.racetrace.target.worker.RestartReport;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All HTTP routes. One handler on "/" routes by path, then by method, so an unknown path is 404
 * and a known path with the wrong method is 405 with an {@code Allow} header.
 *
 * <p>Concurrency: {@code POST /reservations} is answered asynchronously: the HTTP thread validates
 * and submits; the worker that finishes the request writes the answer. The HTTP threads therefore
 * never wait for storage, and the worker pool alone bounds concurrency.
 *
 * <p>Failure handling: every client mistake is a 4xx with {@code {"error", "message"}} found before
 * anything is changed; 5xx only for storage faults (503 timeout, 500 error), a full queue or a
 * worker restart (503), and bugs (500).
 */
public final class HttpApi implements HttpHandler {
  private final TargetService target;

  public HttpApi(TargetService target) {
    this.target = target;
  }

  @Override
  public void handle(HttpExchange ex) {
    try {
      route(ex, ex.getRequestURI().getPath(), ex.getRequestMethod());
    } catch (ApiException e) {
      Exchanges.send(ex, e.status(), Exchanges.error(e.code(), e.getMessage()));
    } catch (IllegalArgumentException e) {
      Exchanges.send(ex, 400, Exchanges.error("invalid_field", e.getMessage()));
    } catch (StorageTimeoutException e) {
      Exchanges.send(ex, 503, Exchanges.error("storage_timeout", e.getMessage()));
    } catch (StorageException e) {
      Exchanges.send(ex, 500, Exchanges.error("storage_error", e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Exchanges.send(ex, 503, Exchanges.error("interrupted", "interrupted"));
    } catch (IOException | RuntimeException e) {
      Exchanges.send(ex, 500, Exchanges.error("internal_error", String.valueOf(e)));
    }
  }

  private void route(HttpExchange ex, String path, String method)
      throws ApiException, IOException, InterruptedException {
    if (path.equals("/reservations")) {
      allow(method, "POST");
      reserve(ex);
    } else if (path.startsWith("/inventory/") && path.length() > "/inventory/".length()) {
      allow(method, "GET");
      inventory(ex, path.substring("/inventory/".length()));
    } else if (path.equals("/health")) {
      allow(method, "GET");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "UP");
      m.put("mode", target.config().mode().label());
      m.put("instance", target.config().instanceId());
      m.put("generation", target.workers().generation());
      Exchanges.send(ex, 200, m);
    } else if (path.equals("/admin/inventory")) {
      allow(method, "GET", "PUT", "POST");
      if (!method.equals("GET")) {
        target.seed(RequestParser.inventory(Exchanges.readJson(ex)), method.equals("PUT"));
      }
      Exchanges.send(ex, 200, target.inventoryState());
    } else if (path.equals("/admin/faults")) {
      allow(method, "GET", "PUT");
      if (method.equals("PUT")) {
        updateFaults(Exchanges.readJson(ex));
      }
      Exchanges.send(ex, 200, faultsView());
    } else if (path.equals("/admin/restart-workers")) {
      allow(method, "POST");
      RestartReport r = target.restartWorkers(10_000);
      Exchanges.send(ex, 200, r);
    } else if (path.equals("/admin/stats")) {
      allow(method, "GET");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", target.config().mode().label());
      m.put("instance", target.config().instanceId());
      m.put("generation", target.workers().generation());
      m.put("workers", target.workers().workers());
      m.put("queueCapacity", target.workers().queueCapacity());
      m.put("queued", target.workers().queued());
      m.put("active", target.workers().active());
      m.putAll(target.stats().snapshot());
      Exchanges.send(ex, 200, m);
    } else {
      throw new ApiException(404, "not_found", "no such path: " + path);
    }
  }

  private static void allow(String method, String... allowed) throws ApiException {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new ApiException(405, "method_not_allowed", method + " not allowed; use " + String.join(", ", allowed));
  }

  private void inventory(HttpExchange ex, String sku) throws ApiException {
    if (!RequestParser.SKU.matcher(sku).matches()) {
      throw new ApiException(400, "invalid_field", "bad sku in path");
    }
    InventoryRow row = target.inventory(sku);
    if (row == null) {
      throw new ApiException(404, "unknown_sku", "unknown sku: " + sku);
    }
    Exchanges.send(ex, 200, row);
  }

  private void updateFaults(JsonNode body) throws ApiException {
    Map<String, Number> changes = RequestParser.numbers(body);
    Number seed = changes.remove("seed");
    if (seed != null && (seed.doubleValue() != Math.rint(seed.doubleValue()))) {
      throw new ApiException(400, "invalid_field", "seed must be a whole number");
    }
    target.faults().update(changes); // throws IllegalArgumentException -> 400, nothing applied
    if (seed != null) {
      target.faults().reseed(seed.longValue());
    }
  }

  private Map<String, Object> faultsView() {
    FaultSettings s = target.faults().settings();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("readLatencyMs", s.readLatencyMs());
    m.put("writeLatencyMs", s.writeLatencyMs());
    m.put("timeoutRate", s.timeoutRate());
    m.put("timeoutDelayMs", s.timeoutDelayMs());
    m.put("duplicateRate", s.duplicateRate());
    m.put("seed", target.faults().seed());
    return m;
  }

  private void reserve(HttpExchange ex) throws ApiException, IOException {
    ReservationRequest r = RequestParser.reservation(Exchanges.readJson(ex));
    try {
      target.service().submit(r, new Responder(ex));
    } catch (QueueFullException e) {
      Exchanges.send(ex, 503, withId(r, Exchanges.error("queue_full", e.getMessage())));
    } catch (WorkerRestartException e) {
      Exchanges.send(ex, 503, withId(r, Exchanges.error("worker_restart", e.getMessage())));
    }
  }

  private static Map<String, Object> withId(ReservationRequest r, Map<String, Object> body) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestId", r.requestId());
    m.putAll(body);
    return m;
  }

  /** Answers one reservation from the worker that finished it. */
  private static final class Responder implements ReservationCallback {
    private final HttpExchange ex;

    Responder(HttpExchange ex) {
      this.ex = ex;
    }

    @Override
    public void completed(ReservationRequest r, ReservationReceipt receipt, Timing timing) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requestId", r.requestId());
      m.put("outcome", receipt.outcome().name());
      m.put("sku", r.sku());
      m.put("quantity", r.quantity());
      m.put("remaining", receipt.remaining());
      m.put("version", receipt.version());
      m.put("replayed", receipt.replayed());
      m.put("attempts", receipt.attempts());
      m.put("worker", timing.worker());
      m.put("queueDelayMicros", timing.queueDelayNanos() / 1_000);
      m.put("serviceMicros", timing.serviceNanos() / 1_000);
      int status = switch (receipt.outcome()) {
        case CONFIRMED -> 200;
        case SOLD_OUT, CONFLICT -> 409;
      };
      Exchanges.send(ex, status, m);
    }

    @Override
    public void failed(ReservationRequest r, RuntimeException error, Timing timing) {
      int status;
      String code;
      if (error instanceof UnknownSkuException) {
        status = 404;
        code = "unknown_sku";
      } else if (error instanceof IdempotencyKeyReuseException) {
        status = 422;
        code = "idempotency_key_reuse";
      } else if (error instanceof IllegalArgumentException) {
        status = 400;
        code = "invalid_field";
      } else if (error instanceof StorageTimeoutException) {
        status = 503;
        code = "storage_timeout";
      } else if (error instanceof WorkerRestartException) {
        status = 503;
        code = "worker_restart";
      } else if (error instanceof StorageException) {
        status = 500;
        code = "storage_error";
      } else {
        status = 500;
        code = "internal_error";
      }
      Map<String, Object> m = withId(r, Exchanges.error(code, String.valueOf(error.getMessage())));
      m.put("worker", timing.worker());
      m.put("queueDelayMicros", timing.queueDelayNanos() / 1_000);
      Exchanges.send(ex, status, m);
    }
  }
}
