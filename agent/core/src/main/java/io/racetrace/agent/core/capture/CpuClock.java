package io.racetrace.agent.core.capture;

import io.racetrace.agent.core.Clocks;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The times the {@link OverheadGovernor} judges by, behind one seam (as Caffeine's {@code Ticker}):
 * the process's CPU time, the calling thread's CPU time, and the monotonic and wall clocks. Tests
 * drive the governor with fixed figures; the agent uses {@link #system()}.
 */
interface CpuClock {
  long processCpuNanos();

  /** CPU time of the calling thread (the writer thread, when the governor asks). */
  long threadCpuNanos();

  long nanoTime();

  long wallNanos();

  /** The JVM's own figures, or null (with the reason for a warning left to the caller) if it reports none. */
  static CpuClock system() {
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.OperatingSystemMXBean os) || os.getProcessCpuTime() < 0
        || !threads.isCurrentThreadCpuTimeSupported()) {
      return null;
    }
    return new CpuClock() {
      @Override
      public long processCpuNanos() {
        return os.getProcessCpuTime();
      }

      @Override
      public long threadCpuNanos() {
        return threads.getCurrentThreadCpuTime();
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long wallNanos() {
        return Clocks.wallNanos();
      }
    };
  }
}
