package io.racetrace.agent.core.capture;

import java.io.IOException;
import java.nio.file.FileStore;
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
  private final FileStore store;
  private final long minFreeBytes;
  private final long checkEveryNanos;
  private long nextCheck;
  private boolean checked;
  private boolean low;

  DiskGuard(Path dir, long minFreeBytes, long checkEveryNanos) throws IOException {
    this.store = Files.getFileStore(dir);
    this.minFreeBytes = minFreeBytes;
    this.checkEveryNanos = checkEveryNanos;
  }

  /** Whether writing is unsafe now; re-reads free space at most once per check interval. */
  boolean low(long now) {
    if (!checked || now - nextCheck >= 0) {
      checked = true;
      nextCheck = now + checkEveryNanos;
      try {
        low = store.getUsableSpace() < minFreeBytes;
      } catch (IOException | RuntimeException e) {
        low = true; // cannot tell: assume the worst
      }
    }
    return low;
  }
}
