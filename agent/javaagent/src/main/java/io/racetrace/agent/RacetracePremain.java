package io.racetrace.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;

/**
 * Entry point of {@code -javaagent:racetrace-agent.jar=ARGS} and of {@code racetrace attach}.
 *
 * <p>Three class-loader layers, as in the OpenTelemetry agent: this class (system loader); the
 * bridge, {@code racetrace/bootstrap.jar}, appended to the bootstrap class path so woven code in
 * any loader can call it; and the core with ByteBuddy, Chronicle and Jackson, in a class loader of
 * its own whose parent is the platform loader, so the application can neither see nor clash with
 * those libraries.
 *
 * <p>Failure handling: nothing is ever thrown out of premain or agentmain, so the application
 * always starts. A failure prints one line to stderr and, for an attach, is left in the system
 * property {@value #ERROR_PROPERTY} for the attach command to read back.
 *
 * <p>Lifecycle: one capture at a time, held in {@link #current}. However a capture ends (the
 * {@code detach} argument, its {@code duration}, JVM shutdown, a failed start), the core calls
 * back {@link #release}, which forgets it, clears {@value #STATE_PROPERTY}, closes its class loader
 * and deletes its temporary jars, so the JVM can always be attached again. The bridge stays on the
 * bootstrap class path for the JVM's lifetime; it carries {@link #BRIDGE_VERSION}, and an agent
 * whose bridge differs from the one already there refuses to start instead of failing later with
 * {@code AbstractMethodError}.
 *
 * <p>Agent arguments {@code detach} (agentmain only) stop the running capture.
 */
public final class RacetracePremain {
  /** Set while a capture runs in this JVM; read by {@code racetrace attach} to refuse a second one. */
  public static final String STATE_PROPERTY = "racetrace.agent.state";
  /** The last start failure, for {@code racetrace attach} to report. */
  public static final String ERROR_PROPERTY = "racetrace.agent.error";
  /** The probes' match summary of the running capture, set by the core at start. */
  public static final String PROBES_PROPERTY = "racetrace.agent.probes";

  /** Must equal the bridge's {@code Dispatcher.BRIDGE_VERSION} (a test checks); bump both on any change of the bridge. */
  static final int BRIDGE_VERSION = 7;

  /** One capture: its class loader and temporary jars, and, once started, the handle that stops it. */
  private static final class Capture {
    final URLClassLoader loader;
    final Path dir;
    volatile AutoCloseable running;

    Capture(URLClassLoader loader, Path dir) {
      this.loader = loader;
      this.dir = dir;
    }
  }

  private static final AtomicReference<Capture> current = new AtomicReference<>();

  private RacetracePremain() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    if (args != null && args.trim().equals("detach")) {
      detach();
    } else {
      start(args, inst, true);
    }
  }

  private static synchronized void start(String args, Instrumentation inst, boolean attached) {
    System.clearProperty(ERROR_PROPERTY);
    if (current.get() == null) {
      System.clearProperty(PROBES_PROPERTY);
    }
    Capture capture = null;
    try {
      if (current.get() != null) {
        fail("racetrace is already attached to this JVM (" + System.getProperty(STATE_PROPERTY, "starting")
            + "); detach it first");
        return;
      }
      Path dir = tempDir();
      List<URL> urls = new ArrayList<>();
      try (JarFile agentJar = new JarFile(agentJarPath().toFile())) {
        appendBootstrap(inst, agentJar, dir);
        for (Enumeration<JarEntry> e = agentJar.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (entry.getName().startsWith("racetrace/inst/") && entry.getName().endsWith(".jar")) {
            urls.add(extract(agentJar, entry, dir).toUri().toURL());
          }
        }
      } catch (Throwable t) {
        deleteQuietly(dir);
        throw t;
      }
      URLClassLoader loader = new URLClassLoader("racetrace-agent", urls.toArray(new URL[0]),
          ClassLoader.getPlatformClassLoader());
      capture = new Capture(loader, dir);
      current.set(capture);
      // Set before the start: release() clears it, whenever the capture ends (even during the start).
      System.setProperty(STATE_PROPERTY, "attached since " + java.time.Instant.now() + "; " + args);
      Capture self = capture;
      Runnable onStopped = () -> release(self);
      Class<?> starter = Class.forName("io.racetrace.agent.core.AgentStarter", true, loader);
      // Chronicle loads classes through the context class loader, which is null on the JVM's
      // Attach Listener thread (seen on Java 25); threads started here inherit it.
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        capture.running = (AutoCloseable) starter
            .getMethod("start", Instrumentation.class, String.class, boolean.class, Runnable.class)
            .invoke(null, inst, args, attached, onStopped);
      } finally {
        thread.setContextClassLoader(previous);
      }
    } catch (InvocationTargetException e) {
      release(capture);
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException) {
        fail(cause.getMessage());
      } else {
        fail("agent not started: " + cause);
        if (Boolean.getBoolean("racetrace.debug")) {
          cause.printStackTrace();
        }
      }
    } catch (IllegalStateException e) {
      release(capture);
      fail(e.getMessage());
    } catch (Throwable t) {
      release(capture);
      fail("agent not started: " + t);
    }
  }

  private static synchronized void detach() {
    Capture c = current.get();
    if (c == null || c.running == null) {
      fail("racetrace is not attached to this JVM");
      return;
    }
    Thread self = Thread.currentThread();
    ClassLoader previous = self.getContextClassLoader();
    self.setContextClassLoader(c.loader);
    try {
      c.running.close(); // ends in release(c), on this thread or the one already stopping it
    } catch (Throwable t) {
      fail("detach failed: " + t);
    } finally {
      self.setContextClassLoader(previous);
    }
  }

  /** Forgets the capture if it is the current one, and frees what it held. Safe to call twice. */
  private static void release(Capture c) {
    if (c == null || !current.compareAndSet(c, null)) {
      return;
    }
    System.clearProperty(STATE_PROPERTY);
    System.clearProperty(PROBES_PROPERTY);
    try {
      c.loader.close();
    } catch (IOException | RuntimeException ignored) {
      // the loader's jars are deleted at exit anyway
    }
    deleteQuietly(c.dir);
  }

  private static void fail(String message) {
    System.setProperty(ERROR_PROPERTY, message);
    System.err.println("[racetrace] " + message);
  }

  private static Path agentJarPath() throws Exception {
    return Path.of(RacetracePremain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Bridge classes must be on the bootstrap class path before anything woven runs. Once per JVM. */
  private static void appendBootstrap(Instrumentation inst, JarFile agentJar, Path dir) throws IOException {
    Class<?> present;
    try {
      present = Class.forName("io.racetrace.agent.bootstrap.Dispatcher", false, null);
    } catch (ClassNotFoundException expected) {
      present = null; // first start in this JVM
    }
    if (present != null) { // appended by an earlier attach of this JVM, maybe by another agent version
      int version;
      try {
        version = present.getField("BRIDGE_VERSION").getInt(null);
      } catch (ReflectiveOperationException e) {
        version = 1; // the first bridges carried no version
      }
      if (version != BRIDGE_VERSION) {
        throw new IllegalStateException("this JVM already holds the bridge of another racetrace agent (bridge version "
            + version + ", this agent needs " + BRIDGE_VERSION + "); restart the JVM to attach this agent");
      }
      return;
    }
    JarEntry entry = agentJar.getJarEntry("racetrace/bootstrap.jar");
    if (entry == null) {
      throw new IOException("agent jar is incomplete: racetrace/bootstrap.jar is missing");
    }
    // Kept for the JVM's lifetime: the bootstrap loader reads it lazily.
    Path bootDir = Files.createTempDirectory(dir.getParent(), "racetrace-boot-");
    Path jar = extract(agentJar, entry, bootDir);
    jar.toFile().deleteOnExit();
    bootDir.toFile().deleteOnExit();
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  private static Path tempDir() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    Path dir = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? Files.createTempDirectory(base, "racetrace-agent-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createTempDirectory(base, "racetrace-agent-");
    dir.toFile().deleteOnExit();
    return dir;
  }

  private static Path extract(JarFile jar, JarEntry entry, Path dir) throws IOException {
    String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
    Path out = dir.resolve(name);
    try (InputStream in = jar.getInputStream(entry)) {
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }
    out.toFile().deleteOnExit();
    return out;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }
}
