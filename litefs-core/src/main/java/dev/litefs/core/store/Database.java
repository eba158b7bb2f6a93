package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.LtxTrailer;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.PositionMismatchException;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replicated database: its file under {@code dbs/<name>/database}, its LTX history under
 * {@code dbs/<name>/ltx/}, its position (the last LTX file's max TXID and post-apply checksum), and the
 * checksum of every page, kept current as transactions are recorded.
 *
 * <p>A transaction is recorded in one of two ways: {@link #commit} writes a standalone LTX file durably
 * (temporary file, fsync, rename, directory fsync) before the position moves; {@link #record}, for the
 * mount, appends it to the commit log and leaves durability to the next {@link #sync()} (ADR 0009).
 * Recording is serialised per database. The rules each method enforces are in its documentation; every
 * error names the database.
 */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final String name;
  private final Path dir;
  private final StoreOptions options;
  private final LtxHistory history;
  private final TxListener listener;
  private final CommitGate gate;
  private final java.util.function.Supplier<DatabaseFileWriter> writers;
  private volatile CommitForwarder forwarder;
  private final ReentrantLock lock = new ReentrantLock();
  private final RecordBuffer recordBuffer = new RecordBuffer();
  private final TransactionEncoder encoder;
  private final ReplicaSync replicaSync;
  private volatile Pos pos = Pos.ZERO;
  private volatile Instant posTimestamp = Instant.EPOCH;
  private volatile Shape shape = new Shape(0, 0);
  private PageChecksumTable table;

  Database(String name, Path dir, StoreOptions options, TxListener listener, CommitGate gate,
      java.util.function.Supplier<DatabaseFileWriter> writers) {
    this.name = name;
    this.gate = gate;
    this.writers = writers;
    this.dir = dir;
    this.options = options;
    this.history = new LtxHistory(dir.resolve("ltx"));
    this.listener = listener;
    this.encoder = new TransactionEncoder(name, options);
    this.replicaSync = new ReplicaSync(dir, databaseFile());
  }

  /** The database's name, as in the mount. */
  public String name() {
    return name;
  }

  /** The SQLite database file in the data directory. */
  public Path databaseFile() {
    return dir.resolve("database");
  }

  /** The backing file of {@code <name>-journal}. */
  public Path journalFile() {
    return dir.resolve("journal");
  }

  /** The backing file of {@code <name>-wal}. */
  public Path walFile() {
    return dir.resolve("wal");
  }

  /** The backing file of {@code <name>-shm}. */
  public Path shmFile() {
    return dir.resolve("shm");
  }

  /** The current position: the last recorded TXID and the database checksum after it. */
  public Pos pos() {
    return pos;
  }

  /** The timestamp of the last recorded transaction (the mtime LiteFS gives {@code -pos}). */
  public Instant posTimestamp() {
    return posTimestamp;
  }

  /**
   * The page size, or 0 while the database has never been written. Lock-free: the mount asks from its
   * callbacks, which must never wait for a transaction the engine is applying through the mount.
   */
  public int pageSize() {
    return shape.pageSize;
  }

  /** The size of the database in pages after the last transaction. Lock-free, like {@link #pageSize()}. */
  public int pageCount() {
    return shape.pageCount;
  }

  /** Page size and count, published together after every change of the table. */
  private record Shape(int pageSize, int pageCount) {}

  private void publishShape() {
    shape = table == null ? new Shape(0, 0) : new Shape(table.pageSize(), table.pageCount());
  }

  /** The database checksum kept in memory; equals {@code pos().postApplyChecksum()} between transactions. */
  public Checksum checksum() {
    lock.lock();
    try {
      return table == null ? Checksum.EMPTY : table.checksum();
    } finally {
      lock.unlock();
    }
  }

  /** Returns whether page {@code pgno} is recorded with exactly this content (compared by checksum). */
  public boolean hasPage(int pgno, byte[] data) {
    lock.lock();
    try {
      return table != null && table.pageSize() == data.length
          && table.get(pgno) == PageChecksums.page(pgno, data, 0, data.length);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns transaction {@code txid}'s LTX file as recorded, if retention has not removed it: a commit-log
   * record's bytes (checked against its CRC-32C) or a standalone file.
   *
   * @throws LtxException if a logged record no longer matches its CRC-32C
   */
  public Optional<StoredLtx> storedLtx(Txid txid) throws IOException {
    return history.stored(txid);
  }

  /**
   * Records a transaction durably: writes LTX file {@code TXID+1} with the changed pages, the previous
   * position's checksum as pre-apply checksum and the new database checksum as post-apply checksum, makes
   * it durable (with everything recorded before it), then moves the position. The database file itself is
   * not touched (SQLite, or the caller, writes it).
   *
   * @return the header and trailer recorded
   * @throws LtxException if the transaction breaks a rule of the format (for the first transaction of a
   *     database, every page must be present, since TXID 1 is a snapshot)
   * @throws CommitRefusedException if the store's {@link CommitGate} refuses (this node is not the primary)
   * @throws IOException if the LTX file cannot be written; the position is then unchanged
   */
  public LtxFileInfo commit(Transaction tx) throws IOException {
    lock.lock();
    try {
      gate.check(this);
      TransactionEncoder.Prepared p = encoder.prepare(tx, pos, table);
      LtxTrailer[] trailer = new LtxTrailer[1];
      LtxFileName fileName = LtxFileName.of(p.header().maxTxid());
      Path tmp = history.writeTemporary(fileName, out -> trailer[0] = encoder.encode(p, tx, out));
      CommitForwarder f = forwarder;
      if (f != null) {
        try {
          // Under a HALT lock the primary must accept the transaction before it is ours (LiteFS's order).
          f.forward(this, tmp, new LtxFileInfo(p.header(), trailer[0]));
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(tmp);
          throw e;
        }
      }
      history.commit(tmp, fileName);
      return applied(p, tx, trailer[0]);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records a transaction SQLite committed through the mount, as {@link #commit} does, but appends its LTX
   * file to the commit log. With {@code durable}, the log is synced before the position moves; without, the
   * transaction becomes durable at the next {@link #sync()} (or durable commit), which the mount calls where
   * SQLite's own durability would otherwise get ahead of the history (ADR 0009). Streams can read the file
   * as soon as the position moves.
   *
   * @throws CommitRefusedException if the store's {@link CommitGate} refuses (this node is not the primary)
   * @throws IOException if the record cannot be written or synced; it is then discarded from the log and
   *     the position is unchanged
   */
  public LtxFileInfo record(Transaction tx, boolean durable) throws IOException {
    if (forwarder != null) {
      // Forwarded transactions go through the primary first; they are rare, so they take the durable path.
      return commit(tx);
    }
    lock.lock();
    try {
      gate.check(this);
      TransactionEncoder.Prepared p = encoder.prepare(tx, pos, table);
      RecordBuffer buf = recordBuffer;
      buf.reset(LtxLog.HEADER_SIZE);
      LtxTrailer trailer = encoder.encode(p, tx, buf);
      LtxLog commitLog = history.log();
      commitLog.append(p.header().maxTxid(), buf.array(), buf.size());
      if (durable) {
        try {
          commitLog.sync();
        } catch (IOException e) {
          commitLog.discardLast();
          throw e;
        }
      }
      return applied(p, tx, trailer);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes every transaction recorded so far durable (an fdatasync of the commit log, if it has news).
   *
   * <p>Takes the commit log's own lock, never the database's: the mount calls this while serving a client's
   * deletion of the WAL, with the kernel holding the directory's lock, and a replica's apply holds the database's
   * lock while it opens files in that directory through the mount. Waiting for the database's lock here hung
   * both for good.
   */
  public void sync() throws IOException {
    history.log().sync();
  }

  /** Whether transactions were recorded since the last {@link #sync()}. */
  public boolean hasUnsyncedTransactions() throws IOException {
    lock.lock();
    try {
      return history.log().isDirty();
    } finally {
      lock.unlock();
    }
  }

  private LtxFileInfo applied(TransactionEncoder.Prepared p, Transaction tx, LtxTrailer trailer) {
    table = p.table();
    p.applyTo(tx.commit());
    return recorded(new LtxFileInfo(p.header(), trailer));
  }

  /**
   * Sends every transaction recorded from now on to {@code f} before it becomes this database's (a replica
   * writing under the primary's HALT lock); {@code null} stops.
   */
  public void setCommitForwarder(CommitForwarder f) {
    forwarder = f;
  }

  /**
   * Records and applies an LTX file received from elsewhere (a primary's stream, a forwarded write): reads
   * it once, verifying it completely as it is read (in memory when small), checks that it follows the
   * current position (unless it is a snapshot), adds it to the history, then writes its pages into the
   * database file and checks the database checksum against the file's post-apply checksum. The file
   * is written as a durable standalone file (a snapshot replaces the whole history) before the pages are
   * written, and the pages are synced.
   *
   * @throws LtxException if the file is invalid; nothing is changed
   * @throws PositionMismatchException if it does not follow the current position; nothing is changed
   * @throws ChecksumMismatchException if the database does not end at the file's checksum after applying
   * @throws IOException if a file cannot be read or written
   */
  public LtxFileInfo receive(InputStream in, String source) throws IOException {
    return receive(in, source, null);
  }

  /**
   * As {@link #receive(InputStream, String)}, writing the pages through {@code held}, a session whose locks
   * the caller already holds (a HALT lock), instead of opening one.
   */
  public LtxFileInfo receive(InputStream in, String source, DatabaseFileWriter.Session held) throws IOException {
    return receive(in, source, held, false);
  }

  /**
   * As {@link #receive(InputStream, String)} for a replica's stream: neither the record (or a snapshot's file)
   * nor the pages are synced; {@link #syncReceived()} syncs them, and a crash in between is repaired at start
   * (ADR 0010, 0014). Never for a primary, whose history must be durable when a client is told it committed.
   */
  public LtxFileInfo receiveFromPrimary(InputStream in, String source) throws IOException {
    return receive(in, source, null, true);
  }

  private LtxFileInfo receive(InputStream in, String source, DatabaseFileWriter.Session held, boolean replica)
      throws IOException {
    lock.lock();
    try (ReceivedLtx r = ReceivedLtx.read(in, recordBuffer, history.dir(), source + " for database " + name,
        replica ? h -> SnapshotDatabase.startIfAbsent(this, h) : null, !replica)) {
      LtxFileInfo info = r.info();
      LtxHeader h = info.header();
      if (!h.isSnapshot() && !h.preApplyPos().equals(pos) && info.postApplyPos().equals(pos)) {
        // Already ours: a transaction this replica forwarded under a HALT lock, coming back from the primary.
        log.debug("database {}: already at {}, which {} ends at", name, pos, source);
        return info;
      }
      if (!h.isSnapshot() && !h.preApplyPos().equals(pos)) {
        throw new PositionMismatchException("position mismatch on db " + name + ": database is at " + pos
            + ", " + source + " follows " + h.preApplyPos(), pos, h);
      }
      LtxFileName fileName = new LtxFileName(h.minTxid(), h.maxTxid());
      if (replica) {
        replicaSync.beforeUnsyncedApply();
      }
      if (replica && r.inMemory() && !h.isSnapshot() && h.minTxid().equals(h.maxTxid())) {
        // Not synced: ADR 0010. A primary's received transaction (a forwarded write) stays a durable file.
        history.log().append(h.maxTxid(), r.record(), r.recordLength());
      } else {
        if (r.inMemory()) {
          history.write(fileName, out -> out.write(r.record(), LtxLog.HEADER_SIZE, r.recordLength() - LtxLog.HEADER_SIZE));
        } else {
          history.commit(r.temporaryFile(), fileName);
          r.movedTo(history.path(fileName));
          replicaSync.unsyncedFileIf(replica, history.path(fileName));
        }
        if (h.isSnapshot()) {
          history.deleteAllExcept(fileName);
        }
      }
      r.apply(this, fileName, held, !replica);
      return recorded(info);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes every transaction this database received and applied durable (the commit log and the database
   * file), if any was applied since the last call, and closes what the stream kept open: when a replica's
   * stream ends (before the node may take writes), and at close.
   */
  public void syncReceived() throws IOException {
    lock.lock();
    try {
      writers.get().release(this);
      replicaSync.sync(history.log());
    } finally {
      lock.unlock();
    }
  }

  /** For a transaction recorded by other code under the lock (an import): {@code t} is its page checksums. */
  LtxFileInfo recordedWith(PageChecksumTable t, LtxFileInfo info) {
    table = t;
    return recorded(info);
  }

  void checkCommitGate() throws CommitRefusedException {
    gate.check(this);
  }

  CommitForwarder commitForwarder() {
    return forwarder;
  }

  private LtxFileInfo recorded(LtxFileInfo info) {
    publishShape();
    pos = info.postApplyPos();
    posTimestamp = Instant.ofEpochMilli(info.header().timestamp());
    if (listener != null) {
      listener.onTransaction(this, info);
    }
    return info;
  }

  /**
   * Replaces the database with the SQLite file {@code source} ({@code litefs import}), as one transaction:
   * SQLite's locks are taken first (through the mount when there is one, waiting for clients' transactions),
   * then the transaction is recorded, then the pages are written. Page 1's file change counter and schema
   * cookie are zeroed, as LiteFS does, so open connections reload.
   *
   * @throws dev.litefs.core.sqlite.InvalidDatabaseException if {@code source} is not a SQLite database
   */
  public LtxFileInfo importFrom(Path source) throws IOException {
    return DatabaseImport.run(this, source);
  }

  /**
   * Writes a snapshot of the database at its current position: an LTX file with TXIDs 1 to the current
   * TXID and every page. Checks that the pages read give the position's checksum.
   *
   * @throws ChecksumMismatchException if the database file does not match its position; the output is
   *     then incomplete and must be discarded
   */
  public LtxFileInfo writeSnapshot(OutputStream out) throws IOException {
    return SnapshotWriter.write(this, out);
  }

  /**
   * Deletes LTX files older than the retention period, keeping the newest.
   *
   * @return how many files were deleted
   */
  public int enforceRetention() throws IOException {
    lock.lock();
    try {
      Instant cutoff = options.clock().instant().minus(options.retention());
      int n = history.deleteOlderThan(cutoff);
      if (n > 0) {
        log.debug("retention removed {} LTX files of {}", n, name);
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Lists the LTX files kept. */
  public List<LtxFileName> ltxFiles() throws IOException {
    return history.list();
  }

  /**
   * Reads the committed pages from the data directory (the database file, with the WAL's committed frames
   * over it). The caller must keep a commit from being in flight while it opens, and checkpoints out while
   * it reads.
   */
  public DatabaseFileWriter.ReadSession committedPages() throws IOException {
    return committedPages(true);
  }

  /**
   * As {@link #committedPages()}; without {@code useWal}, from the database file alone (SQLite has
   * checkpointed every frame of the WAL, which a writer may then start overwriting).
   */
  public DatabaseFileWriter.ReadSession committedPages(boolean useWal) throws IOException {
    return new CommittedPages(this, useWal, null);
  }

  /** How this database's file is written and read: directly, or through the mount once there is one. */
  public DatabaseFileWriter files() {
    return writers.get();
  }

  StoreOptions options() {
    return options;
  }

  LtxHistory history() {
    return history;
  }

  ReentrantLock lock() {
    return lock;
  }

  /** Syncs and closes the commit log; the store calls it when it closes. */
  void close() throws IOException {
    lock.lock();
    try {
      writers.get().release(this);
      replicaSync.sync(history.log());
      history.close();
    } finally {
      lock.unlock();
    }
  }

  ReplicaSync replicaSync() {
    return replicaSync;
  }

  /** Replaces the page checksums as an apply changes the page size or drops the database. Holds the lock. */
  void replaceTable(PageChecksumTable t) {
    table = t;
  }

  PageChecksumTable table() {
    return table;
  }

  void restore(Pos pos, Instant timestamp, PageChecksumTable table) {
    this.pos = pos;
    this.posTimestamp = timestamp;
    this.table = table;
    publishShape();
  }

  @Override
  public String toString() {
    return "database " + name + " @ " + pos;
  }
}
