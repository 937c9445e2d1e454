package io.racetrace.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that stalls on its first request, driven with one sender (the worst case for
 * coordinated omission: a closed-loop tool would simply stop sending and never see the stall in
 * the requests that should have gone out meanwhile). The assertions are lower bounds that follow
 * from the stall alone, so a slow machine can only make them hold more easily.
 */
class CoordinatedOmissionTest {
  private static final long STALL_MS = 400;
  private static final int REQUESTS = 20; // 100/s -> intended at 0, 10, ..., 190 ms

  private HttpServer server;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void startStallingServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      if (ex.getRequestURI().getPath().equals("/reservations") && served.getAndIncrement() == 0) {
        try {
          Thread.sleep(STALL_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = "{\"outcome\":\"CONFIRMED\",\"replayed\":false,\"version\":1}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void latency_measuredFromIntendedTime_includesTheStallForEveryQueuedRequest() throws Exception {
    WorkloadProfile p = new WorkloadProfile("stall", null, 3L, 100.0, REQUESTS / 100.0, "uniform",
        Map.of("s", 1_000L), null, null, null, null, null, 0.0,
        new WorkloadProfile.Client(10_000, 0, 0, 1), null, null).normalized();
    Schedule schedule = Schedule.of(p);
    assertEquals(REQUESTS, schedule.requests().size());
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

    OpenLoopSender.Result r = new OpenLoopSender(List.of(base), p.client(), p.seed()).run(schedule, List.of());

    assertEquals(REQUESTS, r.records().size());
    assertEquals(0, r.unfinished());
    List<RequestRecord> byIndex = r.records().stream().sorted(Comparator.comparingInt(RequestRecord::index)).toList();
    long stall = STALL_MS * 1_000_000;
    assertTrue(byIndex.get(0).latencyNanos() >= stall, byIndex.get(0).toString());
    for (RequestRecord rec : byIndex) {
      assertEquals(200, rec.status());
      // Latency from the intended time covers the wait before sending plus the exchange itself.
      assertTrue(rec.latencyNanos() >= rec.lastAttemptNanos() + rec.sendLagNanos() - 1_000, rec.toString());
      if (rec.index() > 0) {
        // Request i was due at i*10 ms but the only sender was busy until request 0's stall ended,
        // at least STALL_MS after the start: it left late by at least STALL_MS - i*10 ms...
        long due = rec.index() * 10_000_000L;
        assertTrue(rec.sendLagNanos() >= stall - due, rec.toString());
        // ...and that lateness is in its latency, though the server answered it at once.
        assertTrue(rec.latencyNanos() >= stall - due, rec.toString());
      }
    }
    // The histogram tells the same story: the median request waited most of the stall.
    assertTrue(r.latencyMicros().getValueAtPercentile(50) >= (STALL_MS - 100) * 1_000,
        "p50 " + r.latencyMicros().getValueAtPercentile(50));
    assertTrue(r.latencyMicros().getMaxValue() >= STALL_MS * 1_000);
  }
}
