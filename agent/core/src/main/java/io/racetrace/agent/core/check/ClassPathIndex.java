package io.racetrace.agent.core.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * The classes of an application's class path, read from its jars and directories without loading
 * anything: directories of classes, plain jars, and fat jars whose libraries are nested
 * ({@code BOOT-INF/lib/*.jar} and {@code WEB-INF/lib/*.jar}, extracted to a temporary directory,
 * deleted on {@link #close}). Gives the class names (for candidates) and a {@link ClassFileLocator}
 * (for ByteBuddy's type pool, which describes classes from their bytes).
 */
public final class ClassPathIndex implements AutoCloseable {
  private final Set<String> classNames = new LinkedHashSet<>();
  private final List<ClassFileLocator> locators = new ArrayList<>();
  private final List<JarFile> open = new ArrayList<>();
  private Path extracted;

  public ClassPathIndex(List<Path> entries) throws IOException {
    for (Path e : entries) {
      if (Files.isDirectory(e)) {
        addDirectory(e);
      } else if (Files.isRegularFile(e)) {
        addJar(e);
      } else {
        throw new IOException("class path entry not found: " + e);
      }
    }
  }

  private void addDirectory(Path dir) throws IOException {
    locators.add(new ClassFileLocator.ForFolder(dir.toFile()));
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(f -> add(dir.relativize(f).toString().replace('\\', '/')));
    }
  }

  private void addJar(Path jar) throws IOException {
    JarFile jf = new JarFile(jar.toFile());
    open.add(jf);
    locators.add(new ClassFileLocator.ForJarFile(jf));
    List<JarEntry> nested = new ArrayList<>();
    boolean bootClasses = false;
    for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
      JarEntry e = en.nextElement();
      String n = e.getName();
      if (n.endsWith(".jar") && (n.startsWith("BOOT-INF/lib/") || n.startsWith("WEB-INF/lib/"))) {
        nested.add(e);
      } else if (n.startsWith("BOOT-INF/classes/") || n.startsWith("WEB-INF/classes/")) {
        bootClasses = true;
      } else {
        add(n);
      }
    }
    if (bootClasses || !nested.isEmpty()) {
      Path dir = extracted();
      Path classes = Files.createDirectories(dir.resolve("classes-" + open.size()));
      for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
        JarEntry e = en.nextElement();
        String n = e.getName();
        String prefix = n.startsWith("BOOT-INF/classes/") ? "BOOT-INF/classes/" : n.startsWith("WEB-INF/classes/") ? "WEB-INF/classes/" : null;
        if (prefix != null && !e.isDirectory() && n.length() > prefix.length()) {
          copy(jf, e, classes.resolve(n.substring(prefix.length())));
        }
      }
      addDirectory(classes);
      for (JarEntry e : nested) {
        Path lib = dir.resolve(open.size() + "-" + Path.of(e.getName()).getFileName());
        copy(jf, e, lib);
        addJar(lib);
      }
    }
  }

  private Path extracted() throws IOException {
    if (extracted == null) {
      extracted = Files.createTempDirectory("racetrace-probes-check-");
    }
    return extracted;
  }

  private static void copy(JarFile jf, JarEntry e, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = jf.getInputStream(e)) {
      Files.copy(in, to);
    }
  }

  private void add(String entry) {
    if (entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class")
        && !entry.endsWith("package-info.class")) {
      classNames.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
    }
  }

  /** Every class on the class path, by binary name, in class path order. */
  public Set<String> classNames() {
    return classNames;
  }

  /** The class path's classes, then the JDK's (so supertypes such as {@code java.lang.Object} resolve). */
  public ClassFileLocator locator() {
    List<ClassFileLocator> all = new ArrayList<>(locators);
    all.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
    all.add(ClassFileLocator.ForClassLoader.ofBootLoader());
    return new ClassFileLocator.Compound(all);
  }

  @Override
  public void close() {
    for (JarFile jf : open) {
      try {
        jf.close();
      } catch (IOException ignored) {
        // read-only
      }
    }
    if (extracted != null) {
      try (Stream<Path> files = Files.walk(extracted)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
          try {
            Files.deleteIfExists(f);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException | UncheckedIOException ignored) {
        // a temporary directory; the OS cleans it eventually
      }
    }
  }
}
