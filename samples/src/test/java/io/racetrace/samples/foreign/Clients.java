package io.racetrace.samples.foreign;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The load of a foreign service's main: {@code threads} client threads, each its own seeded random. */
public final class Clients {
  private Clients() {}

  public interface Client {
    void request(int thread, int i, Random random) throws Exception;
  }

  public static void run(int threads, int requestsPerThread, long seed, Client client) throws InterruptedException {
    List<Thread> all = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread th = new Thread(() -> {
        Random random = new Random(seed * 1_000_003L + me);
        try {
          for (int i = 0; i < requestsPerThread; i++) {
            client.request(me, i, random);
          }
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }, "client-" + t);
      all.add(th);
      th.start();
    }
    for (Thread th : all) {
      th.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("a client failed", failure[0]);
    }
  }

  /** The work a real service does between its read and its write (a fraud check, a price lookup). */
  public static void work(long nanos) {
    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
  }

  /** {@code --name value} from a main's arguments, or the default. */
  public static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }

  public static int intArg(String[] args, String name, int dflt) {
    return Integer.parseInt(arg(args, name, Integer.toString(dflt)));
  }
}
