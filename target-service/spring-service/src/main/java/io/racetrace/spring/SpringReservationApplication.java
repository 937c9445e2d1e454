package io.racetrace.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.event.EventListener;

/**
 * The second reference service: reservations over Spring Boot, Spring Data JPA and Hibernate. It
 * knows nothing about racetrace; the agent has to find its way in through the classes named in
 * this module's README (repositories, the reservation services, the entity's {@code @Version}).
 *
 * <p>Once it serves it prints {@code ready: port=N} on stdout, as the other reference service does,
 * so scripts and forked-JVM tests can wait for it and learn an ephemeral port.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SpringReservationApplication {
  public static void main(String[] args) {
    SpringApplication.run(SpringReservationApplication.class, args);
  }

  @EventListener
  public void onReady(ApplicationReadyEvent event) {
    String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
    System.out.println("ready: port=" + port);
    System.out.flush();
  }
}
