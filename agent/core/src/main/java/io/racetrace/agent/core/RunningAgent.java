package io.racetrace.agent.core;

import io.racetrace.agent.bootstrap.Dispatcher;
import io.racetrace.agent.core.capture.CaptureSink;
import io.racetrace.agent.core.capture.CaptureStats;
import io.racetrace.agent.core.capture.QueueWriterThread;
import io.racetrace.agent.core.weave.ProbeRegistry;
import io.racetrace.trace.ProbeStatus;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * A capture in progress, and the one owner of its end. {@link #close()} detaches: it removes the
 * sink (woven code goes quiet at once), restores the original bytecode of every woven class, has
 * the writer thread drain and close the queue with its footer, then tells the premain (through
 * {@code onStopped}) so that it forgets the capture, releases the agent's class loader and deletes
 * its temporary jars, and the JVM can be attached again.
 *
 * <p>Concurrency: the stop runs once, on whichever thread comes first (detach command, {@code
 * duration} elapsed, JVM shutdown); a second caller of {@link #close()} waits for it to end.
 *
 * <p>Methods executing at the moment of detach keep their woven code until they return
 * (byte-buddy#823); with the sink removed, that code does nothing.
 */
final class RunningAgent implements AutoCloseable {
  private final Instrumentation inst;
  private final ResettableClassFileTransformer transformer;
  private final CaptureSink sink;
  private final QueueWriterThread writer;
  private final CaptureStats stats;
  private final ProbeRegistry registry;
  private final AgentOptions opts;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread shutdownHook;
  private final Runnable onStopped;
  private static final long SHUTDOWN_WAIT_MILLIS = 30_000;

  RunningAgent(Instrumentation inst, ResettableClassFileTransformer transformer, CaptureSink sink, QueueWriterThread writer,
      CaptureStats stats, ProbeRegistry registry, AgentOptions opts, Runnable onStopped) {
    this.onStopped = onStopped;
    this.inst = inst;
    this.transformer = transformer;
    this.sink = sink;
    this.writer = writer;
    this.stats = stats;
    this.registry = registry;
    this.opts = opts;
    this.shutdownHook = new Thread(() -> {
      if (!stop(true)) {
        awaitStopped(); // a detach is under way: let it write the footer before the JVM exits
      }
    }, "racetrace-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  void scheduleStop(Duration duration) {
    if (duration == null) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(duration.toMillis());
        AgentLog.info("capture duration " + duration.getSeconds() + "s elapsed: detaching");
        close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "racetrace-duration");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    if (!stop(false)) {
      awaitStopped(); // another thread is stopping the capture
    }
  }

  private void awaitStopped() {
    try {
      stopped.await(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns false if another thread had already begun the stop. */
  private boolean stop(boolean inShutdownHook) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    try {
      stopCapture(inShutdownHook);
    } catch (Throwable t) {
      AgentLog.error("stopping the capture failed: " + t);
    } finally {
      stopped.countDown();
    }
    return true;
  }

  private void stopCapture(boolean inShutdownHook) {
    Dispatcher.uninstall(sink);
    if (!inShutdownHook) {
      try {
        transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
      } catch (Throwable t) {
        AgentLog.error("could not restore the original classes: " + t);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already
      }
    }
    // At JVM exit the writer is a daemon that dies with the JVM: wait longer for its footer. Bounded,
    // so that a writer stuck in I/O cannot keep the application's JVM from exiting.
    boolean writerDone = writer.shutdown(inShutdownHook ? SHUTDOWN_WAIT_MILLIS : 5000);
    for (ProbeStatus p : registry.status()) {
      if (p.matchedMethods() == 0) {
        AgentLog.warn("probe " + p.name() + " (" + p.target() + ") never matched a method");
      }
    }
    long dropped = stats.dropped();
    AgentLog.info("capture closed: " + opts.queue + (dropped > 0 ? " (" + dropped + " rows dropped)" : "")
        + (stats.extractorErrors() > 0 ? " (" + stats.extractorErrors() + " extractor errors)" : ""));
    if (writerDone) {
      onStopped.run();
    } else {
      // The class loader must outlive the writer: release it once the writer has closed the queue.
      Thread t = new Thread(() -> {
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        onStopped.run();
      }, "racetrace-release");
      t.setDaemon(true);
      t.start();
    }
  }
}
