package dev.litefs.core.fuse;

import dev.litefs.core.sqlite.WalCommitTracker;
import dev.litefs.core.sqlite.WalInvalidator;
import dev.litefs.core.store.CommitRefusedException;
import dev.litefs.core.store.Database;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction SQLite made that the store did not record, because it could not or may not (the node stopped
 * being primary while the transaction was in flight): SQLite must see its commit fail, and nothing of it may come
 * back. Its WAL frames are invalidated here; a hot journal it leaves is rolled back by the engine through the mount
 * ({@link JournalRollbacks}), since SQLite's own rollback cannot write the database of a replica.
 */
final class NotRecorded {
  private static final Logger log = LoggerFactory.getLogger(NotRecorded.class);

  private NotRecorded() {}

  /** The error the client's operation fails with: EACCES if the node may no longer commit, EIO otherwise. */
  static MountException error(Database db, IOException e) {
    if (e instanceof CommitRefusedException) {
      log.warn("{}", e.getMessage());
      return new MountException(Errno.EACCES, e.getMessage());
    }
    log.error("database {}: cannot record the transaction: {}", db.name(), e.toString());
    return new MountException(Errno.EIO, db.name() + ": cannot record the transaction: " + e.getMessage());
  }

  /**
   * Invalidates WAL transaction {@code c}, whose commit the write of {@code len} bytes at {@code off} completed,
   * so that no WAL recovery (SQLite's or ours) brings it back; if that fails too, says so loudly.
   */
  static void invalidate(Database db, WalCommitTracker.Commit c, long off, long len) {
    try (FileChannel rw = FileChannel.open(db.walFile(), StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      long at = WalInvalidator.invalidate(rw, c, off, len);
      log.info("database {}: invalidated the WAL frames at {}-{} of a transaction that was not recorded (byte {})",
          db.name(), c.offset(), c.offset() + c.size(), at);
    } catch (IOException e) {
      log.error("database {}: cannot invalidate the WAL frames at {}-{} of a transaction that was not recorded; "
          + "a WAL recovery could bring it back: {}", db.name(), c.offset(), c.offset() + c.size(), e.toString());
    }
  }
}
