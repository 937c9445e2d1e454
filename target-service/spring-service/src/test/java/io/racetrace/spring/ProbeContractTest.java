package io.racetrace.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.spring.inventory.InventoryRepository;
import io.racetrace.spring.reservation.RacyReservationService;
import io.racetrace.spring.reservation.ReservationAttempts;
import io.racetrace.spring.reservation.ReservationRepository;
import io.racetrace.spring.reservation.SafeReservationService;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The shapes a probe file meets at run time, as the README describes them: repositories are JDK
 * proxies of our interfaces, beans with {@code @Transactional} methods are CGLIB subclasses of our
 * classes, and the safe path's retry loop is the plain class.
 */
class ProbeContractTest extends ServiceTest {
  @Autowired
  InventoryRepository inventory;

  @Autowired
  ReservationRepository reservations;

  @Autowired
  RacyReservationService racy;

  @Autowired
  ReservationAttempts attempts;

  @Autowired
  SafeReservationService safe;

  @Test
  void repositories_areJdkProxiesOfTheInterfaces() {
    for (Object repository : new Object[] {inventory, reservations}) {
      assertTrue(Proxy.isProxyClass(repository.getClass()), repository.getClass().getName());
    }
    assertEquals("org.springframework.data.jpa.repository.support.SimpleJpaRepository",
        AopUtils.getTargetClass(inventory).getName());
  }

  @Test
  void transactionalServices_areCglibSubclasses_theRetryLoopIsNot() {
    for (Object bean : new Object[] {racy, attempts}) {
      assertTrue(AopUtils.isCglibProxy(bean), bean.getClass().getName());
      assertNotEquals(AopUtils.getTargetClass(bean), bean.getClass());
      assertEquals(AopUtils.getTargetClass(bean), bean.getClass().getSuperclass());
    }
    assertEquals(SafeReservationService.class, safe.getClass());
  }
}
