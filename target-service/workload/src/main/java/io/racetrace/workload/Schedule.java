package io.racetrace.workload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole run, computed up front from the profile and its seed: every request's intended time,
 * id, sku and duplicate flag. Nothing about it depends on how the server behaves, so a baseline and
 * a retest with the same profile and seed send the same requests at the same offsets.
 *
 * <p>Arrival times, sku choices and duplicate choices draw from three independent streams derived
 * from the seed, so changing, say, the duplicate share does not reshuffle which sku each request
 * takes.
 */
public final class Schedule {
  private final WorkloadProfile profile;
  private final List<PlannedRequest> requests;

  private Schedule(WorkloadProfile profile, List<PlannedRequest> requests) {
    this.profile = profile;
    this.requests = requests;
  }

  public static Schedule of(WorkloadProfile raw) {
    WorkloadProfile p = raw.normalized();
    long seed = p.seed();
    SplittableRandom times = new SplittableRandom(seed ^ 0x7A3D_51C2_9E37_79B9L);
    SplittableRandom keys = new SplittableRandom(seed ^ 0x1F83_D9AB_5BE0_CD19L);
    SplittableRandom dups = new SplittableRandom(seed ^ 0x6A09_E667_F3BC_C908L);
    KeyChooser chooser = new KeyChooser(new ArrayList<>(p.inventory().keySet()), p.keys());
    boolean poisson = p.arrival().equals("poisson");
    String idPrefix = "w" + Long.toUnsignedString(seed, 36) + "-";

    List<PlannedRequest> out = new ArrayList<>();
    Intensity clock = new Intensity(p);
    double lambda = 0; // cumulative expected arrivals: uniform steps by 1, Poisson by Exp(1)
    for (int i = 0; ; i++) {
      if (i > 0) {
        lambda += poisson ? -Math.log(1 - times.nextDouble()) : 1.0;
      }
      double t = clock.timeAt(lambda);
      // The tolerance absorbs floating-point rounding at the very end of the run.
      if (t >= p.durationSeconds() - 1e-9) {
        break;
      }
      boolean dup = p.duplicateShare() > 0 && dups.nextDouble() < p.duplicateShare();
      out.add(new PlannedRequest(i, Math.round(t * 1e9), idPrefix + i, chooser.next(keys), p.quantity(), dup));
    }
    return new Schedule(p, List.copyOf(out));
  }

  /**
   * The inverse of the cumulative arrival intensity {@code L(t) = integral of rate}: the rate is
   * piecewise constant (base rate, times the burst multiplier in the last {@code lengthSeconds} of
   * every {@code everySeconds}), so {@code L} is piecewise linear and inverting it is exact. Uniform
   * arrivals sit at {@code L = 0, 1, 2, ...}; Poisson arrivals at sums of Exp(1) draws (the time
   * change theorem). Either way a window gets exactly its share of arrivals.
   * Queries must not decrease.
   */
  private static final class Intensity {
    private final WorkloadProfile p;
    private double segStart;
    private double segEnd;
    private double rate;
    private double lambdaAtStart;

    Intensity(WorkloadProfile p) {
      this.p = p;
      enter(0);
    }

    private void enter(double start) {
      segStart = start;
      rate = p.ratePerSecond() * burstFactor(p, start);
      WorkloadProfile.Bursts b = p.bursts();
      if (b == null || b.lengthSeconds() == 0 || b.multiplier() == 1.0) {
        segEnd = Double.POSITIVE_INFINITY;
        return;
      }
      double periodStart = Math.floor(start / b.everySeconds() + 1e-12) * b.everySeconds();
      double burstStart = periodStart + b.everySeconds() - b.lengthSeconds();
      segEnd = start < burstStart - 1e-12 ? burstStart : periodStart + b.everySeconds();
    }

    double timeAt(double lambda) {
      while (lambdaAtStart + rate * (segEnd - segStart) <= lambda) {
        lambdaAtStart += rate * (segEnd - segStart);
        enter(segEnd);
      }
      return segStart + (lambda - lambdaAtStart) / rate;
    }
  }

  /** The rate multiplier at {@code t} seconds: the burst multiplier inside a burst window, else 1. */
  static double burstFactor(WorkloadProfile p, double t) {
    WorkloadProfile.Bursts b = p.bursts();
    if (b == null || b.lengthSeconds() == 0) {
      return 1.0;
    }
    double phase = t - Math.floor(t / b.everySeconds() + 1e-12) * b.everySeconds();
    return phase >= b.everySeconds() - b.lengthSeconds() - 1e-12 ? b.multiplier() : 1.0;
  }

  public WorkloadProfile profile() {
    return profile;
  }

  public List<PlannedRequest> requests() {
    return requests;
  }

  /** Requests to send, counting both copies of duplicates. */
  public int sends() {
    int n = 0;
    for (PlannedRequest r : requests) {
      n += r.duplicate() ? 2 : 1;
    }
    return n;
  }

  /** {@code sha256:<hex>} over every planned request: equal digests mean an identical schedule. */
  public String digest() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(32);
      for (PlannedRequest r : requests) {
        buf.clear();
        buf.putInt(r.index()).putLong(r.offsetNanos()).putInt(r.quantity()).put((byte) (r.duplicate() ? 1 : 0));
        md.update(buf.array(), 0, buf.position());
        md.update(r.requestId().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(r.sku().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
