package io.racetrace.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.racetrace.target.fault.FaultSettings;
import io.racetrace.target.fault.Faults;
import io.racetrace.target.store.ConnectionPool;
import io.racetrace.target.store.DuplicateRequestIdException;
import io.racetrace.target.store.InventoryRow;
import io.racetrace.target.store.InventoryStore;
import io.racetrace.target.store.ReservationRecord;
import io.racetrace.target.store.StorageTimeoutException;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's step-2 timeline replayed statement by statement on two real H2 connections: proves the
 * store does not serialise the unsafe read-modify-write away, and that the CAS catches it.
 */
class InventoryStoreTest {
  private final Faults faults = new Faults(FaultSettings.NONE, 1);
  private final InventoryStore store = new InventoryStore(faults);
  private ConnectionPool pool;
  private ConnectionPool.Lease a;
  private ConnectionPool.Lease b;

  @BeforeEach
  void setUp() throws Exception {
    pool = new ConnectionPool("jdbc:h2:mem:store-test-" + System.nanoTime(), "", "", 2, 5_000);
    a = pool.lease();
    b = pool.lease();
    store.createSchema(a.connection());
    store.seed(a.connection(), "sku-1", 1);
    a.connection().commit();
  }

  @AfterEach
  void tearDown() {
    a.close();
    b.close();
    pool.close();
  }

  @Test
  void blindWrite_interleavedReads_bothConfirmOneUnit() throws Exception {
    Connection ca = a.connection();
    Connection cb = b.connection();
    InventoryRow readA = store.read(ca, "sku-1"); // t1: A reads I=1
    InventoryRow readB = store.read(cb, "sku-1"); // t2: B reads I=1
    assertEquals(new InventoryRow("sku-1", 1, 0), readA);
    assertEquals(readA, readB);

    assertEquals(1, store.write(ca, "sku-1", readA.quantity() - 1, readA.version() + 1)); // t3
    ca.commit();
    assertEquals(1, store.write(cb, "sku-1", readB.quantity() - 1, readB.version() + 1)); // t4
    cb.commit();

    // Two writes applied, two confirmations possible, one unit gone: a lost update, not a negative.
    InventoryRow after = store.snapshot(ca, "sku-1");
    assertEquals(new InventoryRow("sku-1", 0, 1), after);
  }

  @Test
  void compareAndSet_interleavedReads_secondWriterLoses() throws Exception {
    Connection ca = a.connection();
    Connection cb = b.connection();
    InventoryRow readA = store.read(ca, "sku-1");
    InventoryRow readB = store.read(cb, "sku-1");

    assertTrue(store.compareAndSet(ca, "sku-1", readA.version(), 0, readA.version() + 1));
    ca.commit();
    assertFalse(store.compareAndSet(cb, "sku-1", readB.version(), 0, readB.version() + 1));
    cb.rollback();

    InventoryRow reread = store.read(cb, "sku-1");
    assertEquals(new InventoryRow("sku-1", 0, 1), reread);
  }

  @Test
  void insertReservation_sameIdTwice_primaryKeyRejectsSecond() throws Exception {
    store.insertReservation(a.connection(), new ReservationRecord("r-1", "sku-1", 1, "CONFIRMED", 1));
    a.connection().commit();
    assertThrows(
        DuplicateRequestIdException.class,
        () -> store.insertReservation(b.connection(), new ReservationRecord("r-1", "sku-1", 1, "CONFIRMED", 2)));
    b.connection().rollback();
    ReservationRecord kept = store.findReservation(b.connection(), "r-1");
    assertNotNull(kept);
    assertEquals(1, kept.version());
  }

  @Test
  void read_timeoutRateOne_throwsBeforeTouchingTheRow() throws Exception {
    faults.set(new FaultSettings(0, 0, 1.0, 0, 0));
    assertThrows(StorageTimeoutException.class, () -> store.read(a.connection(), "sku-1"));
    assertThrows(StorageTimeoutException.class, () -> store.write(a.connection(), "sku-1", 0, 9));
    a.connection().commit();
    faults.set(FaultSettings.NONE);
    assertEquals(new InventoryRow("sku-1", 1, 0), store.read(b.connection(), "sku-1"));
  }
}
