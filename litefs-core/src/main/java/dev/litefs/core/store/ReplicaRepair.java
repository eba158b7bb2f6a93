package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Pos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs a database whose replica applies were not synced when the node stopped (ADR 0010) and which
 * disagrees with its history: after a power loss its file may hold pages of transactions whose records were
 * lost, miss pages of recorded ones, or have a torn header. The file is moved aside and rebuilt from the
 * newest snapshot in the history and every transaction after it; if the history has no complete chain from
 * a snapshot (retention removed it, or a record in the middle is damaged), the history is moved aside too
 * and the database starts empty at position zero, so the primary sends a snapshot when the replica
 * connects. Either way the database never serves pages its position does not vouch for.
 */
final class ReplicaRepair {
  private static final Logger log = LoggerFactory.getLogger(ReplicaRepair.class);

  private ReplicaRepair() {}

  /** Repairs {@code db} after {@code cause}, the recovery error. The caller holds the database lock. */
  static void repair(Database db, RecoveryException cause) throws IOException {
    Path aside = db.databaseFile().resolveSibling("diverged-" + System.currentTimeMillis());
    Files.createDirectories(aside);
    log.warn("database {}: does not agree with its history after unsynced replica applies ({}); moving it to {}",
        db.name(), cause.getMessage(), aside);
    for (Path p : List.of(db.databaseFile(), db.journalFile(), db.walFile(), db.shmFile())) {
      if (Files.exists(p)) {
        Files.move(p, aside.resolve(p.getFileName()));
      }
    }
    db.restore(Pos.ZERO, Instant.EPOCH, null);
    LtxFileInfo last = rebuild(db);
    if (last != null) {
      log.warn("database {}: rebuilt from its history up to TXID {} ({})", db.name(), last.header().maxTxid(),
          last.postApplyPos());
      db.restore(last.postApplyPos(), Instant.ofEpochMilli(last.header().timestamp()), db.table());
      return;
    }
    LtxHistory history = db.history();
    history.close();
    Files.move(history.dir(), aside.resolve(history.dir().getFileName()));
    Files.createDirectories(history.dir());
    Files.deleteIfExists(db.databaseFile());
    Durable.syncDirectory(db.databaseFile().getParent());
    db.restore(Pos.ZERO, Instant.EPOCH, null);
    log.warn("database {}: its history has no complete chain from a snapshot; moved it to {} as well: the "
        + "database starts empty at position 0 and the primary will send a snapshot", db.name(), aside);
  }

  /**
   * Applies the newest snapshot in the history and every file after it to an empty database.
   *
   * @return the last file applied, or {@code null} if there is no such chain or it does not apply
   */
  private static LtxFileInfo rebuild(Database db) throws IOException {
    LtxHistory history = db.history();
    List<LtxFileName> files = history.list();
    int start = -1;
    for (int i = files.size() - 1; i >= 0 && start < 0; i--) {
      if (isSnapshot(history, files.get(i))) {
        start = i;
      }
    }
    if (start < 0) {
      return null;
    }
    LtxFileInfo prev = null;
    for (LtxFileName n : files.subList(start, files.size())) {
      LtxFileInfo info = DatabaseRecovery.verifyOrNull(history, n);
      if (info == null || (prev != null && !info.header().preApplyPos().equals(prev.postApplyPos()))) {
        return null;
      }
      try {
        PageApplier.applyRecorded(db, n, info);
      } catch (dev.litefs.core.ltx.ChecksumMismatchException e) {
        log.warn("database {}: cannot rebuild from its history: {}", db.name(), e.getMessage());
        return null;
      }
      prev = info;
    }
    return prev;
  }

  /** Whether {@code name}'s header says snapshot; a damaged header (an unsynced file cut by a crash) does not. */
  private static boolean isSnapshot(LtxHistory history, LtxFileName name) throws IOException {
    try {
      return history.header(name).isSnapshot();
    } catch (dev.litefs.core.ltx.LtxException e) {
      log.warn("{} is not a snapshot to rebuild from: {}", history.path(name), e.getMessage());
      return false;
    }
  }
}
