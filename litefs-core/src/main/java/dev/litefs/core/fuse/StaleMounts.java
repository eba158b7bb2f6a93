package dev.litefs.core.fuse;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and clears FUSE mounts: one left behind by a killed process ("Transport endpoint is not connected")
 * is unmounted at the next start; a hung one can be aborted through {@code fusectl} (tests do this in their
 * cleanup so one failure cannot hang the suite).
 */
public final class StaleMounts {
  private static final Logger log = LoggerFactory.getLogger(StaleMounts.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path FUSECTL = Path.of("/sys/fs/fuse/connections");

  private StaleMounts() {}

  /** A FUSE mount: its mount point, file system type and device minor number (its fusectl connection). */
  record Entry(Path mountPoint, String fsType, int minor) {}

  /** Returns the FUSE mount at {@code dir}, if there is one. */
  static Optional<Entry> find(Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    for (String line : Files.readAllLines(MOUNTINFO)) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (dash < 0 || dash + 1 >= f.length || !f[dash + 1].startsWith("fuse")) {
        continue;
      }
      Path mp = Path.of(unescape(f[4]));
      if (mp.equals(target)) {
        String[] dev = f[2].split(":");
        return Optional.of(new Entry(mp, f[dash + 1], Integer.parseInt(dev[1])));
      }
    }
    return Optional.empty();
  }

  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  /** Whether a FUSE file system is mounted at {@code dir}, live or not. */
  public static boolean isMountedForTest(Path dir) throws IOException {
    return find(dir).isPresent();
  }

  /** Returns {@code true} if {@code dir} is a FUSE mount whose server is gone. */
  static boolean isDisconnected(Path dir) {
    // A listing, not a stat: the kernel answers a stat of the root from its attribute cache, which our long
    // cache timeouts keep valid long after the server died; opening a directory always asks the server.
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.iterator().hasNext();
      return false;
    } catch (IOException e) {
      return String.valueOf(e.getMessage()).contains("Transport endpoint is not connected");
    }
  }

  /**
   * Clears a mount left at {@code dir} by a process that died. A mount whose server still answers is left
   * alone.
   *
   * @throws IOException if {@code dir} is mounted by a live server, or the stale mount cannot be cleared
   */
  public static void clearStale(Path dir) throws IOException {
    Optional<Entry> e = find(dir);
    if (e.isEmpty()) {
      return;
    }
    if (!isDisconnected(dir)) {
      throw new IOException(dir + " is already a mounted " + e.get().fsType()
          + " file system served by a running process (is another litefs running?); unmount it with fusermount -u "
          + dir);
    }
    log.warn("clearing the stale FUSE mount at {} left by a process that died", dir);
    unmount(dir);
  }

  /**
   * Unmounts {@code dir}: {@code fusermount -u}, and lazily ({@code -z}) if something still holds it busy.
   *
   * @throws IOException if both fail
   */
  public static void unmount(Path dir) throws IOException {
    if (run("fusermount", "-u", dir.toString()) == 0 || find(dir).isEmpty()) {
      return;
    }
    if (run("fusermount", "-u", "-z", dir.toString()) != 0 && find(dir).isPresent()) {
      throw new IOException("cannot unmount " + dir + " (fusermount -u and -u -z failed)");
    }
  }

  /**
   * Aborts the FUSE connection of the mount at {@code dir} (freeing every process blocked on it) and
   * unmounts it. For test cleanup and stuck mounts; requires root.
   */
  public static void abort(Path dir) throws IOException {
    Optional<Entry> e = find(dir);
    if (e.isEmpty()) {
      return;
    }
    if (!Files.exists(FUSECTL.resolve(String.valueOf(e.get().minor())))) {
      run("mount", "-t", "fusectl", "none", FUSECTL.toString());
    }
    Path abort = FUSECTL.resolve(String.valueOf(e.get().minor())).resolve("abort");
    if (Files.exists(abort)) {
      Files.writeString(abort, "1");
    }
    unmount(dir);
  }

  private static int run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0 && !out.isEmpty()) {
        log.debug("{}: {}", String.join(" ", cmd), out);
      }
      return p.exitValue();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", cmd), ie);
    }
  }
}
