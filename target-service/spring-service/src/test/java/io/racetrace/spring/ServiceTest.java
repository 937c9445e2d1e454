package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole service on an ephemeral port and its default embedded H2, shared by the test classes
 * (one Spring context; each test uses skus of its own). A 2 ms pause after each inventory read
 * widens the stale-read window, as a slower database would, so that concurrent requests overlap
 * on every run, not by luck.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"reservations.read-latency-ms=2", "logging.level.org.hibernate.engine.jdbc.spi.SqlExceptionHelper=OFF"})
abstract class ServiceTest {
  @LocalServerPort
  int port;

  /** The service's own DataSource, to read the rows with plain SQL. */
  @Autowired
  JdbcTemplate jdbc;

  TestHttp http;

  @BeforeEach
  void client() {
    http = new TestHttp(port);
  }

  /** /truth's figures for {@code sku} are those of the tables, read with plain SQL. */
  void assertTruthIsTheRows(String sku, JsonNode truth) {
    Long remaining = jdbc.queryForObject("select quantity from inventory where sku = ?", Long.class, sku);
    Long confirmedUnits = jdbc.queryForObject("select coalesce(sum(units), 0) from reservations"
        + " where sku = ? and status = 'CONFIRMED'", Long.class, sku);
    Long reservations = jdbc.queryForObject("select count(*) from reservations where sku = ?", Long.class, sku);
    assertEquals(remaining, truth.path("remaining").asLong(), truth.toString());
    assertEquals(confirmedUnits, truth.path("confirmedUnits").asLong(), truth.toString());
    assertEquals(reservations, truth.path("confirmedReservations").asLong() + truth.path("soldOutReservations").asLong()
        + truth.path("conflictReservations").asLong(), truth.toString());
  }
}
