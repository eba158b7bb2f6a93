package dev.litefs.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Durability of the transactions a replica applies (ADR 0010). A received transaction is appended to the
 * commit log and its pages written to the database without a sync, so a power loss can leave the database
 * file behind, ahead of, or torn against its history. Before the first such apply, the marker file
 * {@code dbs/<name>/unsynced} is created durably; {@link #sync} makes the log and the database durable and
 * removes it. A snapshot received by a replica is stored as a standalone history file without a sync too
 * ({@link #unsyncedFileIf}, ADR 0014); {@link #sync} syncs it first. Recovery that finds the marker knows the
 * database may disagree with its history for that reason, and repairs it instead of refusing (see
 * {@code DatabaseRecovery}). The database's lock is held by every caller.
 */
final class ReplicaSync {
  static final String MARKER = "unsynced";

  private final Path marker;
  private final Path databaseFile;
  private final List<Path> unsyncedFiles = new ArrayList<>();
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

  /**
   * If {@code unsynced} (a replica's receive), notes a standalone history file written after {@link #beforeUnsyncedApply} without a sync (a snapshot, up to
   * the whole database: its fsync would hold the apply up for as long as the disk takes to write it).
   */
  void unsyncedFileIf(boolean unsynced, Path file) {
    if (unsynced) {
      unsyncedFiles.add(file);
    }
  }

  /**
   * Makes every applied transaction durable: the standalone files written unsynced, the commit log, then the
   * database file; then removes the marker.
   */
  void sync(LtxLog log) throws IOException {
    if (!unsynced) {
      return;
    }
    for (Path file : unsyncedFiles) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      } catch (java.nio.file.NoSuchFileException e) {
        // A newer snapshot replaced it, or retention removed it: nothing of it to keep.
      }
    }
    unsyncedFiles.clear();
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
