package io.racetrace.samples.foreign.desk;

import io.racetrace.samples.foreign.Clients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A booking desk that knows nothing of racetrace and has no request ids: {@code book(show, seats)}
 * answers true (booked) or false (not enough seats left). {@code racy}: read the count left, take
 * the payment, write the new count. {@code safe}: the same under a lock per show. One booking in
 * 40 has a slow payment (5 ms), so under load a racy write can land over a count read 64 and more
 * writes ago. Its books: the seats it confirmed, per show.
 */
public final class BookingDesk {
  private final Seats seats;
  private final boolean safe;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> confirmedSeats = new ConcurrentHashMap<>();
  final AtomicLong booked = new AtomicLong();
  final AtomicLong refused = new AtomicLong();

  public BookingDesk(Seats seats, boolean safe) {
    this.seats = seats;
    this.safe = safe;
  }

  public boolean book(String show, int party) {
    if (!safe) {
      return bookUnlocked(show, party);
    }
    ReentrantLock lock = locks.computeIfAbsent(show, s -> new ReentrantLock());
    lock.lock();
    try {
      return bookUnlocked(show, party);
    } finally {
      lock.unlock();
    }
  }

  private boolean bookUnlocked(String show, int party) {
    int left = seats.seatsLeft(show);
    if (left < party) {
      refused.incrementAndGet();
      return false;
    }
    // the payment: one in 40 is slow
    Clients.work(ThreadLocalRandom.current().nextInt(50) == 0 ? 15_000_000 : 20_000);
    seats.setSeatsLeft(show, left - party);
    booked.incrementAndGet();
    confirmedSeats.computeIfAbsent(show, s -> new AtomicLong()).addAndGet(party);
    return true;
  }
}
