package io.racetrace.agent.core;

import io.racetrace.agent.bootstrap.Dispatcher;
import io.racetrace.agent.core.capture.CaptureSink;
import io.racetrace.agent.core.capture.CaptureStats;
import io.racetrace.agent.core.capture.QueueWriterThread;
import io.racetrace.agent.core.jpms.ModuleOpener;
import io.racetrace.agent.core.probe.ProbeFile;
import io.racetrace.agent.core.probe.ProbeFileException;
import io.racetrace.agent.core.probe.ProbeFileParser;
import io.racetrace.agent.core.probe.ProbeSpec;
import io.racetrace.agent.core.weave.ProbeInstaller;
import io.racetrace.agent.core.weave.ProbeRegistry;
import io.racetrace.trace.ChronicleSettings;
import io.racetrace.trace.TraceQueueWriter;
import io.racetrace.trace.TraceSchema;
import io.racetrace.trace.WorkerHeader;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Starts a capture: parses options and probe file, opens the JDK internals Chronicle needs, opens
 * the queue and its writer thread, installs the sink, then weaves. Everything that can fail because
 * of user input fails before anything touches the application's classes.
 */
public final class AgentStarter {
  public static final String VERSION = "0.1.0";

  private AgentStarter() {}

  /**
   * Called reflectively by the premain class, in the agent's class loader.
   *
   * @param onStopped run once when the capture has ended, however it ended (detach, duration,
   *     JVM shutdown): the premain forgets it and releases this class loader
   * @return the running capture; closing it detaches
   * @throws IllegalArgumentException with a one-line message for bad options or probe file
   */
  public static AutoCloseable start(Instrumentation inst, String args, boolean attached, Runnable onStopped)
      throws Exception {
    AgentOptions opts = AgentOptions.parse(args);
    AgentLog.debug(opts.debug);
    ProbeFile probes;
    try {
      probes = ProbeFileParser.parse(opts.probes);
    } catch (ProbeFileException e) {
      throw new IllegalArgumentException(e.getMessage());
    }

    ModuleOpener.open(inst, AgentStarter.class.getModule());
    ChronicleSettings.apply();
    // Chronicle's native POSIX binding (jnr-ffi) would load native code into the user's JVM and, on
    // Java 22+, print restricted-method warnings there. The queue works without it.
    net.openhft.posix.PosixAPI.useNoOpPosixApi();
    ThreadLocalRandom.current(); // preload: see byte-buddy#1666 (ClassCircularityError during transform)

    CaptureStats stats = new CaptureStats();
    ProbeRegistry registry = new ProbeRegistry(probes.probes(), opts.probes.toString());
    CaptureSink sink;
    try {
      sink = new CaptureSink(probes.probes(), probes.reproduce(), opts.ringCapacity, stats,
          opts.callEntryTime, opts.budgetPermille > 0 ? opts.sampleFloorLevel : 0);
    } catch (OutOfMemoryError e) {
      // The ring is direct memory: a JVM with a small -XX:MaxDirectMemorySize (or heap) refuses it.
      throw new IllegalArgumentException("cannot allocate the ring (ring=" + opts.ringCapacity + ", "
          + (CaptureSink.ringBytes(opts.ringCapacity) >> 20) + " MB of direct memory): " + e.getMessage()
          + "; give a smaller ring= or more -XX:MaxDirectMemorySize");
    }
    TraceQueueWriter writer;
    try {
      writer = TraceQueueWriter.open(opts.queue, opts.blockBytes);
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot open queue directory " + opts.queue + ": " + e.getMessage());
    }
    QueueWriterThread writerThread;
    try {
      writerThread = new QueueWriterThread(sink, stats, writer, header(opts, probes), opts.minFreeBytes, opts.hashSalt,
          registry::status, opts.budgetPermille, opts.callEntryTime, opts.flushMillis);
    } catch (java.io.IOException | RuntimeException e) {
      writer.close();
      throw new IllegalArgumentException("cannot write to queue directory " + opts.queue + ": " + e.getMessage());
    }
    writerThread.start();
    Dispatcher.install(sink);

    ProbeInstaller installer = new ProbeInstaller(registry, sink::probeId);
    ResettableClassFileTransformer transformer;
    try {
      transformer = installer.install(inst);
    } catch (Throwable t) {
      Dispatcher.uninstall(sink);
      writerThread.shutdown(5000);
      throw t;
    }
    RunningAgent running = new RunningAgent(inst, transformer, sink, writerThread, stats, registry, opts, onStopped);
    try {
      reportUnmatched(inst, registry, attached);
      running.scheduleStop(opts.duration);
    } catch (Throwable t) {
      running.close(); // the premain releases the class loader only once nothing of the capture runs
      throw t;
    }
    AgentLog.info("capturing " + probes.probes().size() + " probe(s) from " + opts.probes.getFileName()
        + " to " + opts.queue + (opts.duration == null ? "" : " for " + opts.duration.getSeconds() + "s"));
    return running;
  }

  private static WorkerHeader header(AgentOptions opts, ProbeFile probes) {
    long pid = ProcessHandle.current().pid();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    String worker = opts.worker != null ? opts.worker : host + ":" + pid;
    String jvm = System.getProperty("java.version") + " " + System.getProperty("java.vm.name")
        + " (" + ManagementFactory.getRuntimeMXBean().getVmVendor() + ")";
    long wall = Clocks.wallNanos();
    long mono = System.nanoTime();
    return new WorkerHeader(TraceSchema.VERSION, worker, pid, host, ThreadLocalRandom.current().nextLong(),
        VERSION, jvm, probes.source(), opts.toString(), wall, mono);
  }

  /**
   * The match summary {@code racetrace attach} reads back and prints: one line per probe, {@code
   * name TAB target TAB methods TAB why} (why is empty for a probe that matched).
   */
  public static final String PROBES_PROPERTY = "racetrace.agent.probes";

  /**
   * Names every probe that matched no method, and why: its class is not there to weave, or has no
   * such method. Attached to a running JVM, classes are loaded already, so a missing class is most
   * likely a typo; at JVM start, classes load later, so the check is whether the class file can be
   * found on the class path at all. The summary goes to stderr and to {@link #PROBES_PROPERTY}.
   */
  private static void reportUnmatched(Instrumentation inst, ProbeRegistry registry, boolean attached) {
    Set<String> loaded = new HashSet<>();
    if (attached) {
      for (Class<?> c : inst.getAllLoadedClasses()) {
        loaded.add(c.getName());
      }
    }
    StringBuilder summary = new StringBuilder();
    for (int i = 0; i < registry.specs().size(); i++) {
      ProbeSpec s = registry.specs().get(i);
      int matched = registry.matchedMethods(i);
      String why = "";
      if (matched == 0) {
        if (registry.noMatchReason(i) != null) {
          why = registry.noMatchReason(i);
        } else if (attached && !loaded.contains(s.className())) {
          why = "class " + s.className() + " is not loaded; it will be woven if it loads later";
          AgentLog.warn("probe " + s.name() + ": " + why);
        } else if (!attached && ClassLoader.getSystemResource(s.className().replace('.', '/') + ".class") == null) {
          why = "class " + s.className() + " is not on the class path; it will be woven if a class loader defines it later";
          AgentLog.warn("probe " + s.name() + ": " + why);
        } else if (attached) {
          why = "class " + s.className() + " is loaded but has no method to weave matching " + s.method();
        }
      }
      summary.append(oneLine(s.name())).append('\t').append(oneLine(s.target())).append('\t').append(matched)
          .append('\t').append(oneLine(why)).append('\n');
    }
    System.setProperty(PROBES_PROPERTY, summary.toString());
  }

  private static String oneLine(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
