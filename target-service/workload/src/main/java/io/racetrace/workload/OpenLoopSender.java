package io.racetrace.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends a {@link Schedule} open-loop: each request is released at its intended time whatever
 * happened to the earlier ones, and its latency is measured from that intended time. A server
 * that stalls cannot hide its stall: requests stuck behind it (in our sender queue, in the network
 * or in its worker queue) are charged the whole wait. This corrects coordinated omission at the
 * source rather than by back-filling a histogram.
 *
 * <p>Concurrency: one scheduler thread parks until each intended time and hands the request to a
 * pool of {@code client.maxInFlight} sender threads, each a blocking {@link HttpURLConnection}
 * over a kept-alive connection. When all senders are busy the request waits in the pool's queue:
 * it leaves late, and the lateness is in its latency (and in {@code maxSendLag}). A sender owns its
 * request to the end, retries included, so retries count as in flight.
 *
 * <p>Why blocking senders and not the async {@code java.net.http.HttpClient}: on this project's
 * 2-core machines the async client cost 660-780 us of CPU per request against 260-290 us for
 * {@code HttpURLConnection} (6,000 POSTs to the target service, 8 concurrent, warmed up), and a
 * load generator that needs more CPU than the service it measures skews both.
 *
 * <p>Failure handling: a transport error or timeout is an answer with status 0 (and is retried
 * like a 5xx); sends that have not finished by the drain deadline are counted as
 * {@code unfinished}, not waited for.
 */
public final class OpenLoopSender {
  static {
    // HttpURLConnection keeps only 5 idle connections per destination by default, so most of a
    // large sender pool would open a fresh TCP connection per request. Read once, on first use.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "1024");
    }
    // Never let the JDK silently re-send a POST on a stale connection: a hidden retry of a
    // non-idempotent request would corrupt the ground truth. (Fixed-length streaming, used below,
    // already prevents it; this is belt and braces.)
    if (System.getProperty("sun.net.http.retryPost") == null) {
      System.setProperty("sun.net.http.retryPost", "false");
    }
  }

  /** Something to do at an offset into the run (e.g. restart the workers); its result is kept. */
  public record TimedAction(double atSeconds, String name, Callable<Object> action) {}

  /** Everything measured by one run. Latencies are in microseconds in the histograms. */
  public record Result(
      List<RequestRecord> records,
      Histogram latencyMicros,
      Histogram lastAttemptMicros,
      Map<String, Long> attemptStatus,
      long attempts,
      long retries,
      long timeouts,
      long transportErrors,
      long unfinished,
      long startEpochMillis,
      long elapsedNanos,
      long maxSendLagNanos,
      List<Map<String, Object>> actions) {}

  private final List<URI> targets;
  private final WorkloadProfile.Client client;
  private final long seed;

  public OpenLoopSender(List<URI> targets, WorkloadProfile.Client client, long seed) {
    this.targets = List.copyOf(targets);
    this.client = client;
    this.seed = seed;
  }

  public Result run(Schedule schedule, List<TimedAction> actions) throws InterruptedException {
    ThreadPoolExecutor senders = new ThreadPoolExecutor(client.maxInFlight(), client.maxInFlight(),
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("workload-sender"));
    senders.allowCoreThreadTimeOut(true); // threads start on demand and go when idle
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("workload-timer"));
    try {
      return new Run(senders, schedule).execute(timer, actions);
    } finally {
      timer.shutdownNow();
      senders.shutdownNow();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One HTTP exchange's result: status 0 with an error when there was no response. */
  private record Answer(int status, String error, String body) {}

  /** State of one execution. */
  private final class Run {
    private final ThreadPoolExecutor senders;
    private final Schedule schedule;
    private final RequestRecord[] records;
    private final Histogram latency = new ConcurrentHistogram(3);
    private final Histogram lastAttempt = new ConcurrentHistogram(3);
    private final Map<String, LongAdder> attemptStatus = new ConcurrentHashMap<>();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder transportErrors = new LongAdder();
    private final AtomicLong lastCompletion = new AtomicLong();
    private final AtomicLong maxLag = new AtomicLong();
    private final List<Map<String, Object>> actionResults = Collections.synchronizedList(new ArrayList<>());
    private long start;

    Run(ThreadPoolExecutor senders, Schedule schedule) {
      this.senders = senders;
      this.schedule = schedule;
      this.records = new RequestRecord[schedule.sends()];
    }

    Result execute(ScheduledExecutorService timer, List<TimedAction> actions) throws InterruptedException {
      for (URI t : targets) { // one kept-alive connection per target before the clock starts
        exchange(t.resolve("/health"), null);
      }
      long startEpochMillis = System.currentTimeMillis();
      start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
      for (TimedAction a : actions) {
        long delay = start + Math.round(a.atSeconds() * 1e9) - System.nanoTime();
        timer.schedule(() -> runAction(a), Math.max(0, delay), TimeUnit.NANOSECONDS);
      }
      int slot = 0;
      for (PlannedRequest r : schedule.requests()) {
        long intended = start + r.offsetNanos();
        for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
        for (int copy = 0; copy < (r.duplicate() ? 2 : 1); copy++) {
          senders.execute(new Send(slot++, r, copy, intended));
        }
      }
      senders.shutdown();
      long perSend = 2L * client.timeoutMs() + (long) (client.retryBackoffMs() * 1.5 * (1L << client.maxRetries()));
      senders.awaitTermination((client.maxRetries() + 1L) * perSend + 5_000, TimeUnit.MILLISECONDS);
      List<RequestRecord> list = new ArrayList<>(records.length);
      synchronized (records) {
        for (RequestRecord rec : records) {
          if (rec != null) {
            list.add(rec);
          }
        }
      }
      Map<String, Long> status = new TreeMap<>();
      attemptStatus.forEach((k, v) -> status.put(k, v.sum()));
      long elapsed = Math.max(0, lastCompletion.get() - start);
      return new Result(list, latency.copy(), lastAttempt.copy(), status, attempts.sum(), retries.sum(),
          timeouts.sum(), transportErrors.sum(), records.length - list.size(), startEpochMillis, elapsed,
          maxLag.get(), List.copyOf(actionResults));
    }

    private void runAction(TimedAction a) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("name", a.name());
      m.put("atSeconds", a.atSeconds());
      m.put("actualOffsetMillis", (System.nanoTime() - start) / 1_000_000);
      try {
        m.put("result", a.action().call());
      } catch (Exception e) {
        m.put("error", String.valueOf(e));
      }
      actionResults.add(m);
    }

    /** One blocking HTTP exchange; POST if {@code body} is given, else GET. */
    private Answer exchange(URI uri, byte[] body) {
      try {
        URL url = uri.toURL();
        HttpURLConnection h = (HttpURLConnection) url.openConnection();
        h.setConnectTimeout(client.timeoutMs());
        h.setReadTimeout(client.timeoutMs());
        h.setUseCaches(false);
        if (body != null) {
          h.setRequestMethod("POST");
          h.setDoOutput(true);
          h.setRequestProperty("Content-Type", "application/json");
          h.setFixedLengthStreamingMode(body.length);
          try (OutputStream out = h.getOutputStream()) {
            out.write(body);
          }
        }
        int status = h.getResponseCode();
        InputStream in = status >= 400 ? h.getErrorStream() : h.getInputStream();
        String text = "";
        if (in != null) {
          try (in) { // reading to the end lets the connection go back to the keep-alive cache
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
        return new Answer(status, null, text);
      } catch (SocketTimeoutException e) {
        return new Answer(0, "timeout", null);
      } catch (IOException e) {
        return new Answer(0, "transport", null);
      }
    }

    private final class Send implements Runnable {
      private final int slot;
      private final PlannedRequest r;
      private final int copy;
      private final long intended;

      Send(int slot, PlannedRequest r, int copy, long intended) {
        this.slot = slot;
        this.r = r;
        this.copy = copy;
        this.intended = intended;
      }

      @Override
      public void run() {
        long lag = System.nanoTime() - intended;
        maxLag.accumulateAndGet(lag, Math::max);
        byte[] body = ("{\"requestId\":\"" + r.requestId() + "\",\"sku\":\"" + r.sku()
            + "\",\"quantity\":" + r.quantity() + "}").getBytes(StandardCharsets.UTF_8);
        for (int k = 0; ; k++) {
          URI target = targets.get((r.index() + k) % targets.size()).resolve("/reservations");
          attempts.increment();
          long sentAt = System.nanoTime();
          Answer a = exchange(target, body);
          long now = System.nanoTime();
          if (a.status() == 0) {
            (a.error().equals("timeout") ? timeouts : transportErrors).increment();
          }
          attemptStatus.computeIfAbsent(a.status() == 0 ? a.error() : String.valueOf(a.status()),
              x -> new LongAdder()).increment();
          boolean retryable = a.status() == 0 || a.status() >= 500;
          if (retryable && k < client.maxRetries()) {
            retries.increment();
            try {
              Thread.sleep(backoffMillis(k));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return; // abandoned at the drain deadline: counted as unfinished
            }
            continue;
          }
          finish(k + 1, now, sentAt, lag, a);
          return;
        }
      }

      /** Jittered exponential backoff; the jitter is fixed by (seed, request, attempt). */
      private long backoffMillis(int k) {
        double jitter = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + r.index() * 31L + k).nextDouble();
        return Math.round(client.retryBackoffMs() * (double) (1L << k) * (0.5 + jitter));
      }

      private void finish(int attemptsMade, long now, long sentAt, long lag, Answer a) {
        String outcome = null;
        boolean replayed = false;
        long version = -1;
        if (a.body() != null && !a.body().isEmpty()) {
          try {
            JsonNode b = Profiles.JSON.readTree(a.body());
            outcome = b.path("outcome").asText(null);
            replayed = b.path("replayed").asBoolean(false);
            version = b.path("version").asLong(-1);
          } catch (IOException e) {
            // a non-JSON answer keeps its status and no outcome
          }
        }
        RequestRecord rec = new RequestRecord(r.index(), copy, r.requestId(), r.sku(), a.status(), a.error(),
            outcome, replayed, version, attemptsMade, now - intended, now - sentAt, lag);
        synchronized (records) {
          records[slot] = rec;
        }
        latency.recordValue(Math.max(0, (now - intended) / 1_000));
        lastAttempt.recordValue(Math.max(0, (now - sentAt) / 1_000));
        lastCompletion.accumulateAndGet(now, Math::max);
      }
    }
  }
}
