package dev.litefs.core.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The descriptors a replica's stream keeps open through the mount between applies (the database and its
 * {@code -shm}), per database, holding no locks while idle. Reusing them saves an open and a release through
 * FUSE per file and apply. A descriptor whose name a client unlinked meanwhile (SQLite deletes {@code -shm}
 * when its last connection closes) is recognised by the kernel's " (deleted)" mark on it and not reused.
 */
final class IdleDescriptors {
  private static final Libc C = Libc.INSTANCE;

  /** Descriptors of one database; {@code shm} is -1 in rollback mode. */
  record Held(int fd, int shm) {}

  private final ConcurrentHashMap<String, Held> idle = new ConcurrentHashMap<>();

  /** Takes the idle descriptors of {@code db}, if any; the caller owns them from now on. */
  Held take(String db) {
    return idle.remove(db);
  }

  /** Keeps the descriptors of {@code db} for the next apply. */
  void put(String db, int fd, int shm) {
    Held old = idle.put(db, new Held(fd, shm));
    if (old != null) {
      close(old);
    }
  }

  /** Closes the idle descriptors of {@code db}, if any (its stream ended, or it is deleted). */
  void close(String db) {
    Held h = idle.remove(db);
    if (h != null) {
      close(h);
    }
  }

  private static void close(Held h) {
    C.close(h.fd());
    if (h.shm() >= 0) {
      C.close(h.shm());
    }
  }

  /** Whether the file {@code fd} refers to has lost its name (or cannot be checked). */
  static boolean unlinked(int fd) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().endsWith(" (deleted)");
    } catch (IOException e) {
      return true;
    }
  }
}
