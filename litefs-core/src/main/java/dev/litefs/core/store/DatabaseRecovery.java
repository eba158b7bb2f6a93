package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.sqlite.DatabaseHeader;
import dev.litefs.core.sqlite.HotJournal;
import dev.litefs.core.sqlite.InvalidDatabaseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a database after a clean stop or a crash and brings its file, its LTX history and its position
 * back into agreement, or refuses with an error that names the file, the TXID and both checksums.
 *
 * <p>The LTX file is the commit point: a transaction whose LTX file is durable is committed even if SQLite
 * had not finished writing the database when the process died. So recovery rolls back a hot journal and
 * checkpoints a WAL (restoring the database SQLite last committed), then re-applies the last LTX file,
 * which finishes a commit that was cut short, and finally requires the database checksum to equal the last
 * file's post-apply checksum.
 */
final class DatabaseRecovery {
  private static final Logger log = LoggerFactory.getLogger(DatabaseRecovery.class);

  private DatabaseRecovery() {}

  static void recover(Database db) throws IOException {
    boolean unsynced = ReplicaSync.marked(db.databaseFile().getParent());
    try {
      recoverOrFail(db);
    } catch (RecoveryException e) {
      if (!unsynced) {
        throw e;
      }
      // Replica applies were not synced: a power loss may have left the database anywhere (ADR 0010).
      ReplicaRepair.repair(db, e);
    }
    if (unsynced) {
      db.syncReceived();
    }
  }

  private static void recoverOrFail(Database db) throws IOException {
    LtxHistory history = db.history();
    Files.createDirectories(history.dir());
    history.removeIncompleteFiles();
    history.log();
    rollbackHotJournal(db);
    List<LtxFileName> files = history.list();
    LtxFileInfo last = files.isEmpty() ? null : verifyOrNull(history, files.get(files.size() - 1));
    WalRecovery.Plan wal = WalRecovery.prepare(db, last == null ? null : last.header(), files.isEmpty());
    Files.deleteIfExists(db.shmFile());
    PageChecksumTable table = readDatabase(db, files.isEmpty());
    db.restore(Pos.ZERO, Instant.EPOCH, table);
    if (files.isEmpty()) {
      startHistory(db, table);
      return;
    }
    LtxFileName lastName = files.get(files.size() - 1);
    if (last == null) {
      last = recoverFromDamagedLastFile(db, files, table);
      if (last == null) {
        return;
      }
      lastName = new LtxFileName(last.header().minTxid(), last.header().maxTxid());
      files = history.list();
    }
    db.restore(Pos.ZERO, Instant.EPOCH, table);
    Checksum before = table == null ? Checksum.EMPTY : table.checksum();
    try {
      for (LtxFileName n : toApply(history, files, lastName, before)) {
        PageApplier.applyRecorded(db, n, n.equals(lastName) ? last : verifyOrNull(history, n));
      }
    } catch (ChecksumMismatchException e) {
      throw new RecoveryException("recover ltx: " + e.getMessage(), e);
    }
    if (!before.equals(last.trailer().postApplyChecksum())) {
      log.warn("database {}: was at checksum {}, not at its last LTX file's {}; re-applied up to TXID {} ({})", db.name(),
          before, last.trailer().postApplyChecksum(), last.header().maxTxid(), lastName);
    }
    // apply() may have replaced the table (a page size change, or a drop).
    db.restore(last.postApplyPos(), Instant.ofEpochMilli(last.header().timestamp()), db.table());
    if (wal != null) {
      WalRecovery.regenerate(db, wal);
    }
  }

  /**
   * The files to apply to bring a database at checksum {@code current} to the last file: the ones after the
   * newest file whose post-apply checksum is {@code current} (a database a few transactions behind its
   * history, when a WAL lost frames that the commit log kept), else the last file alone, which finishes a
   * commit cut short between the LTX file and SQLite's own commit and repairs the pages it wrote.
   */
  private static List<LtxFileName> toApply(LtxHistory history, List<LtxFileName> files, LtxFileName last,
      Checksum current) throws IOException {
    int end = files.indexOf(last);
    for (int i = end; i >= 0; i--) {
      LtxFileInfo info = verifyOrNull(history, files.get(i));
      if (info == null) {
        break;
      }
      if (info.trailer().postApplyChecksum().equals(current)) {
        return i == end ? List.of(last) : files.subList(i + 1, end + 1);
      }
      if (info.header().isSnapshot()) {
        break;
      }
    }
    return List.of(last);
  }

  private static void rollbackHotJournal(Database db) throws IOException {
    Path journal = db.journalFile();
    if (!Files.exists(journal)) {
      return;
    }
    int pageSize = 4096;
    if (Files.exists(db.databaseFile()) && Files.size(db.databaseFile()) >= DatabaseHeader.SIZE) {
      try {
        pageSize = DatabaseHeader.read(db.databaseFile()).pageSize();
      } catch (InvalidDatabaseException e) {
        // The journal header gives the page size; the database header may be the torn part.
      }
    }
    try (FileChannel j = FileChannel.open(journal, StandardOpenOption.READ);
        FileChannel d = FileChannel.open(db.databaseFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      HotJournal.Rollback r = HotJournal.rollback(j, d, pageSize);
      if (r == null) {
        return;
      }
      log.info("database {}: rolled back a hot journal: {} pages restored, size {} pages", db.name(),
          r.pagesRestored(), r.originalPageCount());
    }
    Files.delete(journal);
    Durable.syncDirectory(journal.getParent());
  }

  private static PageChecksumTable readDatabase(Database db, boolean noHistory) throws IOException {
    Path file = db.databaseFile();
    if (!Files.exists(file) || Files.size(file) == 0) {
      return null;
    }
    DatabaseHeader header;
    try {
      header = DatabaseHeader.read(file);
    } catch (InvalidDatabaseException e) {
      if (noHistory) {
        // Nothing was ever recorded, so nothing committed can be in this file: a first write cut short.
        log.warn("database {}: removing {}, which has no LTX history and is not a valid database: {}",
            db.name(), file, e.getMessage());
        Files.delete(file);
        return null;
      }
      throw new RecoveryException("database " + db.name() + ": " + e.getMessage()
          + "; its LTX history is kept in " + db.history().dir(), e);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int pages = header.pageCount() > 0 ? header.pageCount() : (int) (ch.size() / header.pageSize());
      return PageChecksumTable.compute(ch, header.pageSize(), pages);
    }
  }

  /** A database with pages but no LTX history (copied in, or history deleted) starts one with a snapshot. */
  private static void startHistory(Database db, PageChecksumTable table) throws IOException {
    if (table == null || table.pageCount() == 0) {
      return;
    }
    Pos at = new Pos(Txid.of(1), table.checksum());
    log.warn("database {}: no LTX history; recording its current content as snapshot TXID 1 ({})", db.name(), at);
    LtxFileInfo[] info = new LtxFileInfo[1];
    try (DatabaseFileWriter.ReadSession in = db.committedPages()) {
      db.history().write(LtxFileName.of(Txid.of(1)), out -> info[0] = SnapshotWriter.write(db, at, table.pageSize(), table.pageCount(), in, out));
    }
    db.restore(at, Instant.ofEpochMilli(info[0].header().timestamp()), table);
  }

  /**
   * The last LTX file does not verify. If the database is exactly at the previous file's position, the
   * damaged transaction never reached the database (and so was never acknowledged as replicated state):
   * move the file aside and continue from the previous position. Otherwise refuse to start.
   *
   * @return the file to continue from, or {@code null} when the database is empty at position zero
   */
  private static LtxFileInfo recoverFromDamagedLastFile(Database db, List<LtxFileName> files,
      PageChecksumTable table) throws IOException {
    LtxFileName bad = files.get(files.size() - 1);
    Path badPath = db.history().path(bad);
    LtxException cause = verifyError(db.history(), bad);
    LtxFileInfo prev = files.size() > 1 ? verifyOrNull(db.history(), files.get(files.size() - 2)) : null;
    Checksum current = table == null ? Checksum.EMPTY : table.checksum();
    boolean atPrevious = prev != null ? prev.trailer().postApplyChecksum().equals(current)
        : bad.minTxid().value() == 1 && (table == null || table.pageCount() == 0);
    if (!atPrevious) {
      throw new RecoveryException("database " + db.name() + ": last LTX file " + badPath + " (TXID "
          + bad.maxTxid() + ") is damaged: " + cause.getMessage() + "; the database checksum " + current
          + " is not the previous position's " + (prev == null ? "(none)" : prev.postApplyPos().toString())
          + ", so it cannot be recovered automatically", cause);
    }
    Path moved = db.history().quarantine(bad);
    log.warn("database {}: last LTX file {} is damaged ({}); the database is still at the previous position, "
        + "so the file is moved to {} and the database continues from TXID {}", db.name(), bad, cause.getMessage(),
        moved, prev == null ? "0" : prev.header().maxTxid());
    return prev;
  }

  static LtxFileInfo verifyOrNull(LtxHistory history, LtxFileName name) throws IOException {
    try (InputStream in = new BufferedInputStream(history.open(name), 64 * 1024)) {
      return LtxDecoder.verify(in, history.path(name).toString());
    } catch (LtxException e) {
      return null;
    }
  }

  private static LtxException verifyError(LtxHistory history, LtxFileName name) throws IOException {
    try (InputStream in = new BufferedInputStream(history.open(name), 64 * 1024)) {
      LtxDecoder.verify(in, history.path(name).toString());
      throw new IllegalStateException(name + " verified on the second read");
    } catch (LtxException e) {
      return e;
    }
  }
}
