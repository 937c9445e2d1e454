package io.racetrace.analyzer.util;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reports hold what the capture holds (keys, request ids, versions, thread and host names), so
 * they are as private as the queue: directories the analyzer creates are {@code rwx------}, files
 * it writes {@code rw-------}, also when they existed before. On a file system without POSIX
 * permissions the defaults apply.
 */
public final class PrivateFiles {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates the directory (and missing parents, owner-only) if it does not exist. */
  public static Path dir(Path d) throws IOException {
    if (Files.isDirectory(d)) {
      return d;
    }
    if (!POSIX) {
      return Files.createDirectories(d);
    }
    Path parent = d.toAbsolutePath().getParent();
    if (parent != null && !Files.exists(parent)) {
      dir(parent);
    }
    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIR));
    return d;
  }

  /** Opens {@code f} for writing from its start, owner-only. */
  public static BufferedWriter newWriter(Path f) throws IOException {
    FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    var ch = Files.newByteChannel(f, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), attrs);
    if (POSIX) {
      Files.setPosixFilePermissions(f, FILE); // a file that existed keeps no wider mode
    }
    return new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8));
  }

  public static void writeString(Path f, String s) throws IOException {
    try (BufferedWriter w = newWriter(f)) {
      w.write(s);
    }
  }
}
