package io.racetrace.agent.core.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches the free space of the file system that holds the queue. Chronicle maps its files and
 * touches new pages as it writes; on a full disk the kernel answers a page fault with SIGBUS and
 * the JVM dies, and that JVM is the user's service. So the writer stops writing while free space is
 * below the threshold, and drops (and counts) rows instead.
 *
 * <p>Concurrency: writer thread only.
 */
final class DiskGuard {
  /** Usable bytes of the queue's file system; throws when it cannot tell. */
  interface FreeSpace {
    long usableBytes() throws IOException;
  }

  private final FreeSpace free;
  private final long minFreeBytes;
  private final long checkEveryNanos;
  private long nextCheck;
  private boolean checked;
  private boolean low;

  DiskGuard(Path dir, long minFreeBytes, long checkEveryNanos) throws IOException {
    this(Files.getFileStore(dir)::getUsableSpace, minFreeBytes, checkEveryNanos);
  }

  /** With a free-space source of its own (tests); times come in through {@link #low(long)}. */
  DiskGuard(FreeSpace free, long minFreeBytes, long checkEveryNanos) {
    this.free = free;
    this.minFreeBytes = minFreeBytes;
    this.checkEveryNanos = checkEveryNanos;
  }

  /** Whether writing is unsafe now; re-reads free space at most once per check interval. */
  boolean low(long now) {
    if (!checked || now - nextCheck >= 0) {
      checked = true;
      nextCheck = now + checkEveryNanos;
      try {
        low = free.usableBytes() < minFreeBytes;
      } catch (IOException | RuntimeException e) {
        low = true; // cannot tell: assume the worst
      }
    }
    return low;
  }
}
