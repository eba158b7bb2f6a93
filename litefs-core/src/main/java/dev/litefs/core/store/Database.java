package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxEncoder;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.LtxTrailer;
import dev.litefs.core.ltx.Lz4Frame;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.PositionMismatchException;
import dev.litefs.core.ltx.Txid;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * mount, appends it to the commit log and leaves durability to the next {@link #sync()} (ADR 0007).
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
  private final java.util.function.Supplier<DatabaseFileWriter> writers;
  private final ReentrantLock lock = new ReentrantLock();
  private final RecordBuffer recordBuffer = new RecordBuffer();
  private final Lz4Frame frame = new Lz4Frame();
  private volatile Pos pos = Pos.ZERO;
  private volatile Instant posTimestamp = Instant.EPOCH;
  private PageChecksumTable table;

  Database(String name, Path dir, StoreOptions options, TxListener listener,
      java.util.function.Supplier<DatabaseFileWriter> writers) {
    this.name = name;
    this.writers = writers;
    this.dir = dir;
    this.options = options;
    this.history = new LtxHistory(dir.resolve("ltx"));
    this.listener = listener;
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

  /** The page size, or 0 while the database has never been written. */
  public int pageSize() {
    lock.lock();
    try {
      return table == null ? 0 : table.pageSize();
    } finally {
      lock.unlock();
    }
  }

  /** The size of the database in pages after the last transaction. */
  public int pageCount() {
    lock.lock();
    try {
      return table == null ? 0 : table.pageCount();
    } finally {
      lock.unlock();
    }
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
   * Returns a file holding exactly {@code txid}, complete and as recorded, if retention has not removed it. A
   * transaction in the commit log is copied out to a file on first request.
   */
  public Optional<Path> ltxFile(Txid txid) throws IOException {
    return history.fileFor(txid);
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
   * @throws IOException if the LTX file cannot be written; the position is then unchanged
   */
  public LtxFileInfo commit(Transaction tx) throws IOException {
    lock.lock();
    try {
      Prepared p = prepare(tx);
      LtxTrailer[] trailer = new LtxTrailer[1];
      history.write(LtxFileName.of(p.header.maxTxid()), out -> trailer[0] = encode(p, tx, out));
      return applied(p, tx, trailer[0]);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records a transaction SQLite committed through the mount, as {@link #commit} does, but appends its LTX
   * file to the commit log. With {@code durable}, the log is synced before the position moves; without, the
   * transaction becomes durable at the next {@link #sync()} (or durable commit), which the mount calls where
   * SQLite's own durability would otherwise get ahead of the history (ADR 0007). Streams can read the file
   * as soon as the position moves.
   *
   * @throws IOException if the record cannot be written or synced; it is then discarded from the log and
   *     the position is unchanged
   */
  public LtxFileInfo record(Transaction tx, boolean durable) throws IOException {
    lock.lock();
    try {
      Prepared p = prepare(tx);
      RecordBuffer buf = recordBuffer;
      buf.reset(LtxLog.HEADER_SIZE);
      LtxTrailer trailer = encode(p, tx, buf);
      LtxLog commitLog = history.log();
      commitLog.append(p.header.maxTxid(), buf.array(), buf.size());
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

  /** Makes every transaction recorded so far durable (an fdatasync of the commit log, if it has news). */
  public void sync() throws IOException {
    lock.lock();
    try {
      history.log().sync();
    } finally {
      lock.unlock();
    }
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

  /** What recording a transaction needs: its header, post-apply checksum and page checksums. */
  private record Prepared(LtxHeader header, Checksum post, PageChecksumTable table, int[] pgnos, long[] sums) {}

  private Prepared prepare(Transaction tx) throws LtxException {
    if (table != null && table.pageSize() != tx.pageSize()) {
      throw new LtxException(name + ": page size changed from " + table.pageSize() + " to " + tx.pageSize()
          + " without a snapshot");
    }
    int n = tx.pages().size();
    int[] pgnos = new int[n];
    long[] sums = new long[n];
    for (int i = 0; i < n; i++) {
      Transaction.Page p = tx.pages().get(i);
      pgnos[i] = p.pgno();
      sums[i] = PageChecksums.page(p.pgno(), p.data(), 0, tx.pageSize());
    }
    PageChecksumTable t = table != null ? table : new PageChecksumTable(tx.pageSize());
    Checksum post = tx.commit() == 0 ? Checksum.EMPTY : t.preview(tx.commit(), pgnos, sums);
    Txid txid = pos.txid().next();
    LtxHeader.Builder hb = LtxHeader.builder(tx.pageSize(), tx.commit(), txid, txid)
        .compressed(options.compress())
        .timestamp(tx.timestamp())
        .preApplyChecksum(txid.value() == 1 ? Checksum.NONE : pos.postApplyChecksum())
        .nodeId(options.nodeId());
    if (tx.wal() != null) {
      hb.wal(tx.wal().offset(), tx.wal().size(), tx.wal().salt1(), tx.wal().salt2());
    }
    return new Prepared(hb.build(), post, t, pgnos, sums);
  }

  private LtxTrailer encode(Prepared p, Transaction tx, OutputStream out) throws IOException {
    LtxEncoder enc = new LtxEncoder(out, p.header, frame);
    for (Transaction.Page page : tx.pages()) {
      enc.encodePage(page.pgno(), page.data(), 0);
    }
    return enc.finish(p.post);
  }

  private LtxFileInfo applied(Prepared p, Transaction tx, LtxTrailer trailer) {
    PageChecksumTable t = p.table;
    table = t;
    t.resize(tx.commit());
    for (int i = 0; i < p.pgnos.length; i++) {
      t.set(p.pgnos[i], p.sums[i]);
    }
    return recorded(new LtxFileInfo(p.header, trailer));
  }

  /**
   * Records and applies an LTX file received from elsewhere (a primary's stream, a forwarded write): copies
   * it into the history, verifies it completely, checks that it follows the current position (unless it is
   * a snapshot), makes it durable, then writes its pages into the database file and checks the database
   * checksum against the file's post-apply checksum. A snapshot replaces the whole history.
   *
   * @throws LtxException if the file is invalid; nothing is changed
   * @throws PositionMismatchException if it does not follow the current position; nothing is changed
   * @throws ChecksumMismatchException if the database does not end at the file's checksum after applying
   * @throws IOException if a file cannot be read or written
   */
  public LtxFileInfo receive(InputStream in, String source) throws IOException {
    lock.lock();
    try {
      Files.createDirectories(history.dir());
      Path tmp = Files.createTempFile(history.dir(), "receive-", ".ltx" + Durable.TMP_SUFFIX);
      LtxFileInfo info;
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          in.transferTo(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        try (InputStream fin = new BufferedInputStream(Files.newInputStream(tmp), 64 * 1024)) {
          info = LtxDecoder.verify(fin, source + " for database " + name);
        }
        LtxHeader h = info.header();
        if (!h.isSnapshot() && !h.preApplyPos().equals(pos)) {
          throw new PositionMismatchException("position mismatch on db " + name + ": database is at " + pos
              + ", " + source + " follows " + h.preApplyPos(), pos, h);
        }
        LtxFileName fileName = new LtxFileName(h.minTxid(), h.maxTxid());
        history.log().endSegment();
        Durable.commit(tmp, history.path(fileName));
        if (h.isSnapshot()) {
          history.deleteAllExcept(fileName);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      apply(new LtxFileName(info.header().minTxid(), info.header().maxTxid()), info);
      return recorded(info);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes a recorded file's pages into the database file and checks the result. Used after receiving a
   * file and by recovery. Holds the lock.
   */
  void apply(LtxFileName file, LtxFileInfo info) throws IOException {
    LtxHeader h = info.header();
    DatabaseFileWriter writer = writers.get();
    if (h.commit() == 0) {
      writer.delete(this);
      table = null;
    } else {
      if (table != null && table.pageSize() != h.pageSize()) {
        writer.delete(this);
        table = null;
      }
      if (table == null) {
        table = new PageChecksumTable(h.pageSize());
      }
      try (InputStream in = new BufferedInputStream(history.open(file), 64 * 1024);
          DatabaseFileWriter.Session out = writer.open(this, h.pageSize())) {
        LtxDecoder d = new LtxDecoder(in, history.path(file).toString());
        byte[] page = new byte[h.pageSize()];
        table.resize(h.commit());
        for (int pgno; (pgno = d.decodePage(page)) != 0; ) {
          long sum = PageChecksums.page(pgno, page, 0, h.pageSize());
          if (sum == table.get(pgno)) {
            continue; // Already there: recovery re-applies the last file, usually onto identical pages.
          }
          out.writePage(pgno, page);
          table.set(pgno, sum);
        }
        d.finish();
        out.finish(h.commit());
      }
    }
    Checksum actual = table == null ? Checksum.EMPTY : table.checksum();
    if (!actual.equals(info.trailer().postApplyChecksum())) {
      throw new ChecksumMismatchException("database " + name + ": database checksum " + actual + " on TXID "
          + h.maxTxid() + " does not match LTX post-apply checksum " + info.trailer().postApplyChecksum()
          + " (" + history.path(file) + ")", info.trailer().postApplyChecksum(), actual);
    }
  }

  private LtxFileInfo recorded(LtxFileInfo info) {
    pos = info.postApplyPos();
    posTimestamp = Instant.ofEpochMilli(info.header().timestamp());
    if (listener != null) {
      listener.onTransaction(this, info);
    }
    return info;
  }

  /**
   * Writes a snapshot of the database at its current position: an LTX file with TXIDs 1 to the current
   * TXID and every page. Checks that the pages read give the position's checksum.
   *
   * @throws ChecksumMismatchException if the database file does not match its position; the output is
   *     then incomplete and must be discarded
   */
  public LtxFileInfo writeSnapshot(OutputStream out) throws IOException {
    lock.lock();
    try {
      Pos at = pos;
      if (at.isZero()) {
        throw new IllegalStateException("database " + name + " has no transactions to snapshot");
      }
      return SnapshotWriter.write(this, at, table, out);
    } finally {
      lock.unlock();
    }
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
      history.close();
    } finally {
      lock.unlock();
    }
  }

  PageChecksumTable table() {
    return table;
  }

  void restore(Pos pos, Instant timestamp, PageChecksumTable table) {
    this.pos = pos;
    this.posTimestamp = timestamp;
    this.table = table;
  }

  @Override
  public String toString() {
    return "database " + name + " @ " + pos;
  }
}
