package dev.litefs.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Durability of the transactions a replica applies (ADR 0010). A received transaction is appended to the
 * commit log and its pages written to the database without a sync, so a power loss can leave the database
 * file behind, ahead of, or torn against its history. Before the first such apply, the marker file
 * {@code dbs/<name>/unsynced} is created durably; {@link #sync} makes the log and the database durable and
 * removes it. Recovery that finds the marker knows the database may disagree with its history for that
 * reason, and repairs it instead of refusing (see {@code DatabaseRecovery}). The database's lock is held by
 * every caller.
 */
final class ReplicaSync {
  static final String MARKER = "unsynced";

  private final Path marker;
  private final Path databaseFile;
  private boolean unsynced;

  ReplicaSync(Path dir, Path databaseFile) {
    this.marker = dir.resolve(MARKER);
    this.databaseFile = databaseFile;
    this.unsynced = Files.exists(marker);
  }

  /** Whether the marker exists (recovery's question, before it syncs). */
  static boolean marked(Path dir) {
    return Files.exists(dir.resolve(MARKER));
  }

  /** Whether applies were made since the last {@link #sync}. */
  boolean isUnsynced() {
    return unsynced;
  }

  /** Called before pages are written without a sync: makes the marker durable once. */
  void beforeUnsyncedApply() throws IOException {
    if (!unsynced) {
      Files.createDirectories(marker.getParent());
      Files.deleteIfExists(marker);
      try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Durable.syncDirectory(marker.getParent());
      unsynced = true;
    }
  }

  /** Makes every applied transaction durable: the commit log, then the database file; then removes the marker. */
  void sync(LtxLog log) throws IOException {
    if (!unsynced) {
      return;
    }
    log.sync();
    if (Files.exists(databaseFile)) {
      try (FileChannel ch = FileChannel.open(databaseFile, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
    Files.deleteIfExists(marker);
    Durable.syncDirectory(marker.getParent());
    unsynced = false;
  }
}
