package dev.litefs.core.store;

import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A replica's new database file, built from a snapshot while the snapshot is received, for a database that
 * has no file yet (a new replica, or one reset to position 0 by ADR 0010's repair): the pages are written
 * once, in large blocks, into a temporary file in the history directory, with their checksums, and the file
 * becomes the database only once the whole snapshot has verified and is stored in the history
 * ({@link #install}). Nothing was there for a connection to see, so nothing needs to go through the mount
 * but the name. A snapshot that fails leaves only the temporary file, deleted at once (or, after a crash,
 * at the next start with every other incomplete file). Not synced: the {@code unsynced} marker covers it
 * like any replica apply (ADR 0010).
 */
final class SnapshotDatabase implements AutoCloseable {
  /** Bytes gathered before a write: pages arrive in order, so nearly every write is this long. */
  private static final int WRITE_BYTES = 1024 * 1024;

  private final Path file;
  private final FileChannel ch;
  private final int pageSize;
  private final PageChecksumTable table;
  private final ByteBuffer block;
  private long blockOffset;
  private boolean installed;

  private SnapshotDatabase(Path file, int pageSize) throws IOException {
    this.file = file;
    this.pageSize = pageSize;
    this.table = new PageChecksumTable(pageSize);
    this.ch = FileChannel.open(file, StandardOpenOption.WRITE);
    this.block = ByteBuffer.allocateDirect(Math.max(1, WRITE_BYTES / pageSize) * pageSize);
  }

  /**
   * Starts building {@code db}'s file from the snapshot {@code h}, if {@code h} is a non-empty snapshot and the
   * database has no file, journal or WAL; otherwise returns {@code null} and the snapshot is applied as any
   * other file is.
   */
  static SnapshotDatabase startIfAbsent(Database db, LtxHeader h) throws IOException {
    if (!h.isSnapshot() || h.commit() == 0 || Files.exists(db.databaseFile()) || Files.exists(db.journalFile())
        || Files.exists(db.walFile())) {
      return null;
    }
    Path dir = db.history().dir();
    Files.createDirectories(dir);
    // The mode a database file created through the mount gets (a temporary file's default is 0600).
    Path file = Files.createTempFile(dir, "snapshot-", ".db" + Durable.TMP_SUFFIX,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    return new SnapshotDatabase(file, h.pageSize());
  }

  /** Writes page {@code pgno} (pages come in order, the lock page skipped), whose checksum is {@code checksum}. */
  void page(int pgno, byte[] page, long checksum) throws IOException {
    long offset = (long) (pgno - 1) * pageSize;
    if (block.position() > 0 && (offset != blockOffset + block.position() || !block.hasRemaining())) {
      flush();
    }
    if (block.position() == 0) {
      blockOffset = offset;
    }
    block.put(page, 0, pageSize);
    table.set(pgno, checksum);
  }

  private void flush() throws IOException {
    block.flip();
    while (block.hasRemaining()) {
      ch.write(block, blockOffset + block.position());
    }
    block.clear();
  }

  /** Writes what is gathered and sets the file's size to the snapshot's {@code commit} pages. */
  void finish(int commit) throws IOException {
    flush();
    table.resize(commit);
    ch.truncate((long) commit * pageSize);
    ch.close();
  }

  /**
   * Makes the file {@code db}'s database, with its page checksums, if the database still has no file (a
   * client may have created an empty one through the mount meanwhile: then {@code false}, and the caller
   * applies the stored snapshot instead). The caller holds the database lock; the snapshot is verified and
   * stored in the history.
   *
   * @throws ChecksumMismatchException if the pages written do not give the snapshot's post-apply checksum
   */
  boolean install(Database db, LtxFileInfo info) throws IOException {
    if (!table.checksum().equals(info.trailer().postApplyChecksum())) {
      throw new ChecksumMismatchException("database " + db.name() + ": snapshot pages give " + table.checksum()
          + ", its trailer has " + info.trailer().postApplyChecksum(), info.trailer().postApplyChecksum(),
          table.checksum());
    }
    if (!db.files().install(db, file)) {
      return false;
    }
    installed = true;
    db.replaceTable(table);
    return true;
  }

  /** Deletes the file unless it became the database. */
  @Override
  public void close() throws IOException {
    if (ch.isOpen()) {
      ch.close();
    }
    if (!installed) {
      Files.deleteIfExists(file);
    }
  }
}
