package io.racetrace.samples.foreign.desk;

import io.racetrace.samples.foreign.Clients;
import io.racetrace.samples.foreign.Truth;

/**
 * The booking desk under load: {@code --threads} clients book parties of 1..4 on {@code --shows}
 * shows with plenty of seats. Prints the desk's and the store's books as the ground truth.
 * <pre>java ... DeskMain --variant racy|safe [--threads 8] [--requests 1500] [--shows 4]</pre>
 */
public final class DeskMain {
  public static void main(String[] args) throws Exception {
    String variant = Clients.arg(args, "variant", "racy");
    int threads = Clients.intArg(args, "threads", 8);
    int perThread = Clients.intArg(args, "requests", 1500);
    int shows = Clients.intArg(args, "shows", 4);
    long seed = Clients.intArg(args, "seed", 1);
    Seats seats = new Seats();
    for (int s = 0; s < shows; s++) {
      seats.open("show-" + s, 1_000_000);
    }
    BookingDesk desk = new BookingDesk(seats, variant.equals("safe"));
    long t0 = System.nanoTime();
    Clients.run(threads, perThread, seed, (t, i, rnd) ->
        desk.book("show-" + rnd.nextInt(shows), 1 + rnd.nextInt(4)));
    long mismatch = 0;
    for (var e : seats.left().entrySet()) {
      var c = desk.confirmedSeats.get(e.getKey());
      mismatch += Math.abs((c == null ? 0 : c.get()) - (seats.initial(e.getKey()) - e.getValue()));
    }
    new Truth()
        .put("variant", variant)
        .put("requests", (long) threads * perThread)
        .put("booked", desk.booked.get())
        .put("refused", desk.refused.get())
        .put("writes", seats.writes())
        .put("lostUpdates", seats.staleWrites())
        .put("staleByValue", seats.staleByValue())
        .put("staleWrites64", seats.staleWrites64())
        .put("maxStaleness", seats.maxStaleness())
        .put("unitsErased", seats.unitsErased())
        .put("invariantMismatch", mismatch)
        .put("seconds", (System.nanoTime() - t0) / 1e9)
        .print();
  }
}
