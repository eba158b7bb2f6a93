package dev.litefs.core.fuse;

import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.sqlite.WalCommitTracker;
import dev.litefs.core.sqlite.WalReader;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.Transaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit paths of one database, driven by what SQLite writes through the mount:
 * <ul>
 *   <li>rollback-journal modes: database pages written while the journal holds a valid header are the
 *       transaction's; the commit is the journal's unlink (DELETE), truncation to 0 (TRUNCATE) or zeroed
 *       header (PERSIST), and the LTX file is recorded before that operation is passed on, so SQLite's
 *       commit completes only once the transaction is recorded;
 *   <li>WAL mode: after every WAL write, {@link WalCommitTracker} checks for a newly validated commit frame,
 *       and the transaction is recorded before that write returns.
 * </ul>
 * A journal whose header never became valid, or whose pages all equal what was recorded (a rolled-back
 * transaction: in rollback mode every real commit changes page 1's change counter), records nothing.
 *
 * <p>A transaction that is not recorded fails in SQLite and leaves nothing that could come back
 * ({@link NotRecorded}).
 */
final class MountedDatabase {
  private static final Logger log = LoggerFactory.getLogger(MountedDatabase.class);
  private static final byte[] JOURNAL_MAGIC = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63, (byte) 0xd7};

  final Database db;
  // Backing paths as strings, since every stat and open of a client names one.
  private final String databasePath;
  private final String journalPath;
  private final String walPath;
  private final String shmPath;
  private final ReentrantLock lock = new ReentrantLock();
  private final TreeSet<Integer> dirty = new TreeSet<>();
  private boolean journalValid;
  private boolean clientSynced;
  private boolean walMode;
  private int pageSize;
  private FileChannel walChannel;
  /** The database file, kept open for reading each journal transaction's pages. */
  private FileChannel dbChannel;
  private WalCommitTracker wal;
  private final Runnable rollBackJournal;
  /** {@code -pos}'s content. */
  final PosText posText = new PosText();

  /** @param rollBackJournal asks the engine to roll back this database's hot journal soon, from its own thread */
  MountedDatabase(Database db, Runnable rollBackJournal) {
    this.db = db;
    this.rollBackJournal = rollBackJournal;
    this.databasePath = db.databaseFile().toString();
    this.journalPath = db.journalFile().toString();
    this.walPath = db.walFile().toString();
    this.shmPath = db.shmFile().toString();
    this.pageSize = db.pageSize();
    this.walMode = headerSaysWal(db);
  }

  private static boolean headerSaysWal(Database db) {
    try (FileChannel ch = FileChannel.open(db.databaseFile(), StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(2);
      return ch.read(b, 18) == 2 && b.get(0) == 2 && b.get(1) == 2;
    } catch (IOException e) {
      return false; // no database file yet
    }
  }

  /**
   * Checks a client's write to the database file before it is passed on.
   *
   * @param header the first bytes written when the write starts at offset 0 (the database header), else null
   * @throws MountException EINVAL for a write that is not whole, aligned pages; EPERM for a write outside any
   *     journal or WAL (journal_mode=MEMORY or OFF), whose commit could never be seen
   */
  void checkDatabaseWrite(long off, long len, byte[] header) throws MountException {
    lock.lock();
    try {
      if (pageSize == 0) {
        if (off != 0 || header == null || header.length < 18) {
          throw new MountException(Errno.EINVAL, db.name() + ": the first write of a database must be its header page");
        }
        int raw = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
        int ps = raw == 1 ? 65536 : raw;
        if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0) {
          throw new MountException(Errno.EINVAL, db.name() + ": invalid page size " + raw + " in the database header");
        }
        pageSize = ps;
      }
      if (off % pageSize != 0 || len % pageSize != 0 || len == 0) {
        throw new MountException(Errno.EINVAL, db.name() + ": database writes must be whole pages of " + pageSize
            + " bytes at page boundaries, got " + len + " bytes at offset " + off);
      }
      // In WAL mode, database writes are checkpoints: copies of content already recorded from the WAL.
      if (!journalValid && !walMode) {
        throw new MountException(Errno.EPERM, db.name() + ": refusing a database write outside a rollback journal or "
            + "WAL (journal_mode=MEMORY or OFF): its commit could not be seen and replicas would silently diverge; "
            + "use journal_mode DELETE, TRUNCATE, PERSIST or WAL");
      }
      if (walMode && !journalValid) {
        // A checkpoint is about to overwrite what the WAL's frames held: the history must be durable first.
        syncRecorded("checkpoint");
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Checks a client's truncation of the database file: SQLite shrinks a database inside a journal transaction
   * (auto-vacuum), in a WAL checkpoint, or (VACUUM in rollback mode) right after the commit, to the size the
   * committed header gives; always to whole pages.
   *
   * @throws MountException EPERM for any other truncation (a shell's {@code > db}), EINVAL for a partial page
   */
  void checkDatabaseTruncate(long size) throws MountException {
    lock.lock();
    try {
      boolean toCommittedSize = pageSize != 0 && size == (long) db.pageCount() * pageSize;
      if (!journalValid && !walMode && !toCommittedSize) {
        throw new MountException(Errno.EPERM, db.name() + ": refusing to truncate the database to " + size
            + " bytes outside a transaction; delete a database with rm, replace it with litefs import");
      }
      if (pageSize != 0 && size % pageSize != 0) {
        throw new MountException(Errno.EINVAL, db.name() + ": the database can only be truncated to whole pages of "
            + pageSize + " bytes, not " + size);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Records the pages of a journal transaction's database write (after it succeeded). */
  void afterDatabaseWrite(long off, long len, byte[] header) {
    lock.lock();
    try {
      if (header != null && header.length >= 20) {
        walMode = header[18] == 2 && header[19] == 2;
        if (pageSize == 0) {
          int raw = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
          pageSize = raw == 1 ? 65536 : raw;
        }
      }
      if (journalValid) {
        for (long p = off / pageSize; p < (off + len) / pageSize; p++) {
          dirty.add((int) p + 1);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Follows the journal header: SQLite writes the magic when it syncs the journal, before any page. */
  void afterJournalWrite(long off, byte[] head) {
    if (off != 0 || head == null || head.length < 8) {
      return;
    }
    lock.lock();
    try {
      journalValid = java.util.Arrays.equals(head, 0, 8, JOURNAL_MAGIC, 0, 8);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The client synced the database file or its journal: in rollback mode SQLite does so before it commits
   * (synchronous NORMAL or FULL), so the transaction's LTX must be durable before its commit is passed on.
   */
  void clientSynced() {
    lock.lock();
    try {
      clientSynced = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes every recorded transaction durable before the WAL stops holding their frames (a new WAL header
   * restarts it, a truncation or deletion empties it) or a checkpoint copies them over the database.
   *
   * @throws MountException EIO if the history cannot be synced; the operation must then not go ahead
   */
  void syncRecorded(String before) throws MountException {
    try {
      db.sync();
    } catch (IOException e) {
      log.error("database {}: cannot sync the LTX history before a {}: {}", db.name(), before, e.toString());
      throw new MountException(Errno.EIO, db.name() + ": cannot sync the LTX history before a " + before + ": "
          + e.getMessage());
    }
  }

  /**
   * Records the journal transaction (if there is one) before its commit (unlink, truncate, zeroed header)
   * is passed on.
   *
   * @throws MountException EACCES if the node may no longer commit, EIO if the transaction could not be
   *     recorded; SQLite then sees its commit fail, and the engine rolls the hot journal back
   */
  void commitJournal() throws MountException {
    lock.lock();
    try {
      boolean sync = clientSynced;
      clientSynced = false;
      if (!journalValid) {
        dirty.clear();
        return;
      }
      journalValid = false;
      try {
        recordJournalTransaction(sync);
      } catch (IOException e) {
        rollBackJournal.run();
        throw NotRecorded.error(db, e);
      } finally {
        dirty.clear();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The journal transaction in flight, if any, is abandoned: a client's write was refused because the node may
   * not write the database any more ({@code refused}; the engine is asked to roll the hot journal back), or the
   * engine deleted the journal after rolling it back.
   */
  void journalAbandoned(boolean refused) {
    lock.lock();
    try {
      if (journalValid && refused) {
        rollBackJournal.run();
      }
      journalValid = false;
      dirty.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records the journal transaction, if there is one (not a rolled-back transaction); durably if the client
   * synced its journal or database in it, as SQLite does when {@code synchronous} is NORMAL or FULL.
   */
  private void recordJournalTransaction(boolean durable) throws IOException {
    if (dbChannel == null) {
      dbChannel = FileChannel.open(db.databaseFile(), StandardOpenOption.READ);
    }
    FileChannel ch = dbChannel;
    byte[] header = read(ch, 0, 100);
    int commit = ByteBuffer.wrap(header).getInt(28);
    int lockPage = PageChecksums.lockPage(pageSize);
    List<Transaction.Page> pages = new ArrayList<>();
    boolean changed = commit != db.pageCount();
    for (int pgno : dirty) {
      if (pgno > commit || pgno == lockPage) {
        continue;
      }
      byte[] data = read(ch, (long) (pgno - 1) * pageSize, pageSize);
      changed |= !db.hasPage(pgno, data);
      pages.add(new Transaction.Page(pgno, data));
    }
    if (!changed) {
      return; // a rolled-back transaction: SQLite restored every page it had written
    }
    if (db.pos().isZero()) {
      pages = allPages(ch, commit, lockPage); // TXID 1 is a snapshot: it holds every page
    }
    db.record(new Transaction(pageSize, commit, pages, System.currentTimeMillis(), null), durable);
  }

  private List<Transaction.Page> allPages(FileChannel ch, int commit, int lockPage) throws IOException {
    List<Transaction.Page> pages = new ArrayList<>(commit);
    for (int pgno = 1; pgno <= commit; pgno++) {
      if (pgno != lockPage) {
        pages.add(new Transaction.Page(pgno, read(ch, (long) (pgno - 1) * pageSize, pageSize)));
      }
    }
    return pages;
  }

  /**
   * Called before a client's write to the WAL: a write into the WAL header starts a new generation whose
   * frames will overwrite the old ones, so the transactions recorded from them are synced first.
   */
  void beforeWalWrite(long off) throws MountException {
    if (off < WalReader.HEADER_SIZE) {
      syncRecorded("WAL restart");
    }
  }

  /**
   * Records every WAL transaction the write of {@code len} bytes at {@code off} completed.
   *
   * @throws MountException EACCES if the node may no longer commit, EIO if a transaction could not be
   *     recorded; its frames are then invalidated (so no WAL recovery brings it back) and the tracker is left
   *     before it, where SQLite writes its next transaction
   */
  void afterWalWrite(long off, long len) throws MountException {
    lock.lock();
    try {
      walMode = true;
      if (walChannel == null) {
        walChannel = FileChannel.open(db.walFile(), StandardOpenOption.READ);
        wal = new WalCommitTracker(walChannel);
      }
      for (WalCommitTracker.Commit c : wal.afterWrite(off, (int) len)) {
        try {
          recordWalTransaction(c);
        } catch (IOException e) {
          wal.restore(c.before());
          NotRecorded.invalidate(db, c, off, len);
          throw NotRecorded.error(db, e);
        }
      }
    } catch (IOException e) {
      throw new MountException(Errno.EIO, db.name() + ": cannot read the WAL: " + e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  private void recordWalTransaction(WalCommitTracker.Commit c) throws IOException {
    int ps = c.header().pageSize();
    pageSize = ps;
    int lockPage = PageChecksums.lockPage(ps);
    List<Transaction.Page> pages = new ArrayList<>();
    for (var e : c.frames().entrySet()) {
      if (e.getKey() <= c.commitPages() && e.getKey() != lockPage) {
        long at = e.getValue();
        pages.add(new Transaction.Page(e.getKey(), at == c.commitFrameOffset() ? c.commitFramePage()
            : read(walChannel, at + WalReader.FRAME_HEADER_SIZE, ps)));
      }
    }
    Transaction.WalRange range = new Transaction.WalRange(c.offset(), c.size(), c.header().salt1(), c.header().salt2());
    // The WAL holds the frames durably (as the client's synchronous asks) until a checkpoint or restart,
    // which sync the history first (syncRecorded), and recovery regenerates the LTX from them.
    db.record(new Transaction(ps, c.commitPages(), pages, System.currentTimeMillis(), range), false);
  }


  /**
   * The WAL is about to be truncated (a TRUNCATE checkpoint) or deleted (the last connection closed): the
   * recorded transactions are synced first, since their frames are about to go.
   *
   * @throws MountException EIO if they cannot be synced; the truncation or deletion must then not go ahead
   */
  void walReset(boolean deleted) throws MountException {
    syncRecorded(deleted ? "WAL deletion" : "WAL truncation");
    forgetWal(deleted);
  }

  /** The engine emptied the WAL in a checkpoint of its own (MountWriter), after syncing the history. */
  void walEmptiedByEngine() {
    forgetWal(false);
  }

  private void forgetWal(boolean deleted) {
    lock.lock();
    try {
      if (wal != null) {
        wal.truncated(0);
      }
      if (deleted && walChannel != null) {
        try {
          walChannel.close();
        } catch (IOException e) {
          log.debug("closing WAL channel of {}: {}", db.name(), e.toString());
        }
        walChannel = null;
        wal = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records the deletion of the database (commit 0) before its file is removed.
   *
   * @throws MountException EIO if it could not be recorded
   */
  void drop() throws MountException {
    lock.lock();
    try {
      db.commit(new Transaction(pageSize == 0 ? 4096 : pageSize, 0, List.of(), System.currentTimeMillis(), null));
      dirty.clear();
      journalValid = false;
      walMode = false;
      pageSize = 0;
    } catch (IOException e) {
      throw NotRecorded.error(db, e);
    } finally {
      lock.unlock();
    }
    walReset(true);
  }

  /** Lets go of the database file, which is being deleted (a later one is another inode). */
  void forgetDatabaseFile() {
    lock.lock();
    try {
      closeDatabaseChannel();
    } finally {
      lock.unlock();
    }
  }

  private void closeDatabaseChannel() {
    if (dbChannel != null) {
      try {
        dbChannel.close();
      } catch (IOException e) {
        log.debug("closing the database file of {}: {}", db.name(), e.toString());
      }
      dbChannel = null;
    }
  }

  /**
   * Removes the database ({@code rm <db>}): records the deletion (unless the engine is applying one it
   * received) and deletes the database, journal, WAL and shared-memory files.
   *
   * @return 0 or a negated errno
   */
  int dropAndDelete(boolean byEngine) throws MountException {
    if (!exists()) {
      return -Errno.ENOENT;
    }
    if (!byEngine) {
      drop();
    }
    forgetDatabaseFile();
    for (MountName.Kind k : new MountName.Kind[] {MountName.Kind.DATABASE, MountName.Kind.JOURNAL,
        MountName.Kind.WAL, MountName.Kind.SHM}) {
      int r = deleteBacking(backing(k));
      if (r != 0 && r != -Errno.ENOENT) {
        return r;
      }
    }
    return 0;
  }

  /** Deletes a backing file; returns 0, or a negated ENOENT or EIO. */
  static int deleteBacking(String path) {
    try {
      return Files.deleteIfExists(java.nio.file.Path.of(path)) ? 0 : -Errno.ENOENT;
    } catch (IOException e) {
      return -Errno.EIO;
    }
  }

  /** The data-directory file behind a kind of file of this database. */
  String backing(MountName.Kind kind) {
    return switch (kind) {
      case DATABASE -> databasePath;
      case JOURNAL -> journalPath;
      case WAL -> walPath;
      case SHM -> shmPath;
      default -> throw new IllegalArgumentException(kind + " has no backing file");
    };
  }

  /** Whether the database has a file with pages (it is listed in the mount). */
  boolean exists() {
    try {
      return Files.size(db.databaseFile()) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] read(FileChannel ch, long off, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      if (ch.read(b, off + b.position()) < 0) {
        break; // past the end: the rest stays zero, as a page SQLite has not written yet
      }
    }
    return b.array();
  }
}
