package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.sqlite.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a WAL left by a crash in line with the LTX history and folds it into the database file, in two
 * steps around the re-application of the last LTX file ({@link DatabaseRecovery}).
 *
 * <p>The WAL is the durable record of WAL-mode transactions until SQLite checkpoints it, so the mount appends
 * their LTX files to the commit log without syncing it, and syncs the log before the database file is
 * checkpointed over or the WAL is restarted, truncated or deleted (ADR 0009). After a crash the WAL's
 * committed transactions are therefore either in the history already or follow its last transaction:
 * <ul>
 *   <li>{@link #prepare}: with the last LTX file's WAL generation (same salts), the committed frames up to its
 *       WAL range are copied into the database; the committed transactions after it are kept for
 *       {@link #regenerate}. A WAL of a generation no retained LTX file mentions follows the last file, and
 *       all its transactions are kept. A WAL of an older generation holds nothing new (every transaction of a
 *       generation is synced before the WAL restarts): it is renamed to {@code wal.removed}, never replayed.
 *       With no history at all, the whole WAL is checkpointed (as SQLite would) and recorded by the snapshot
 *       that starts the history.
 *   <li>{@link #regenerate}: once the database is at the last LTX file's position, each kept transaction is
 *       recorded again from its frames, then its pages are copied into the database.
 * </ul>
 * Frames after the last commit frame (a transaction cut short) are never copied. The WAL is deleted at the
 * end, so the database file alone holds every recorded transaction.
 */
final class WalRecovery {
  private static final Logger log = LoggerFactory.getLogger(WalRecovery.class);

  /** How many of the newest LTX files are searched for a WAL's salts. */
  static final int GENERATION_SEARCH = 100_000;

  private WalRecovery() {}

  /** A committed WAL transaction: its frames' range and, per page, the offset of its last frame. */
  record Tx(long offset, long end, int commit, Map<Integer, Long> frames) {}

  /** The committed transactions of a WAL that the history does not hold yet, oldest first. */
  record Plan(WalReader.WalHeader header, List<Tx> transactions) {}

  /**
   * First step, before the last LTX file is re-applied.
   *
   * @param last the last LTX file's header, or {@code null} when there is none that verifies
   * @param noHistory whether the history is empty (rather than its last file damaged)
   * @return the transactions to record after the re-application, or {@code null} (the WAL is then gone)
   * @throws RecoveryException if the WAL and the last file disagree on where a transaction ends
   */
  static Plan prepare(Database db, LtxHeader last, boolean noHistory) throws IOException {
    Path wal = db.walFile();
    if (!Files.exists(wal)) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
      WalReader r = WalReader.open(ch);
      List<Tx> txs = r == null ? List.of() : committed(r);
      if (txs.isEmpty()) {
        delete(db);
        return null;
      }
      WalReader.WalHeader h = r.header();
      if (noHistory) {
        log.info("database {}: checkpointing {} WAL transactions into a database without history", db.name(), txs.size());
        checkpoint(db, ch, h.pageSize(), txs);
        delete(db);
        return null;
      }
      boolean sameGeneration = last != null && last.walSize() > 0 && last.walSalt1() == h.salt1()
          && last.walSalt2() == h.salt2();
      if (sameGeneration) {
        long recordedEnd = last.walOffset() + last.walSize();
        List<Tx> recorded = new ArrayList<>();
        List<Tx> after = new ArrayList<>();
        for (Tx t : txs) {
          if (t.end() <= recordedEnd) {
            recorded.add(t);
          } else if (t.offset() >= recordedEnd) {
            after.add(t);
          } else {
            throw new RecoveryException("database " + db.name() + ": WAL transaction at bytes " + t.offset() + "-"
                + t.end() + " overlaps the end of the last LTX file's WAL range (" + recordedEnd + ", TXID "
                + last.maxTxid() + ")");
          }
        }
        checkpoint(db, ch, h.pageSize(), recorded);
        if (after.isEmpty()) {
          delete(db);
          return null;
        }
        return new Plan(h, after);
      }
      if (last == null || mentions(db, h)) {
        log.warn("database {}: WAL (salts {}/{}) is not the last LTX file's and holds no transaction after it; "
            + "moving it aside to wal.removed", db.name(), Integer.toHexString(h.salt1()), Integer.toHexString(h.salt2()));
        Files.move(wal, wal.resolveSibling("wal.removed"), StandardCopyOption.REPLACE_EXISTING);
        Durable.syncDirectory(wal.getParent());
        return null;
      }
      return new Plan(h, txs);
    }
  }

  /**
   * Second step, with the database at the last LTX file's position: records each transaction of {@code plan}
   * from its frames (made durable together), copies their pages into the database file and deletes the WAL.
   */
  static void regenerate(Database db, Plan plan) throws IOException {
    int ps = plan.header().pageSize();
    int lockPage = PageChecksums.lockPage(ps);
    try (FileChannel ch = FileChannel.open(db.walFile(), StandardOpenOption.READ)) {
      for (Tx t : plan.transactions()) {
        List<Transaction.Page> pages = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : t.frames().entrySet()) {
          if (e.getKey() <= t.commit() && e.getKey() != lockPage) {
            byte[] page = new byte[ps];
            read(ch, page, e.getValue() + WalReader.FRAME_HEADER_SIZE);
            pages.add(new Transaction.Page(e.getKey(), page));
          }
        }
        Transaction tx = new Transaction(ps, t.commit(), pages, db.options().clock().millis(),
            new Transaction.WalRange(t.offset(), t.end() - t.offset(), plan.header().salt1(), plan.header().salt2()));
        db.record(tx, false);
      }
      db.history().log().sync();
      checkpoint(db, ch, ps, plan.transactions());
    }
    log.warn("database {}: recorded {} WAL transactions that had no LTX file, now at {}", db.name(),
        plan.transactions().size(), db.pos());
    delete(db);
  }

  /**
   * Whether one of the last {@link #GENERATION_SEARCH} retained LTX files was written in the WAL generation
   * of {@code h} (same salts). The mount syncs a WAL's new header before any transaction of the new
   * generation can be recorded, so an older generation's WAL is not left by our own crash; this catches one
   * put back by hand or by an older version, which would otherwise be replayed over later transactions.
   */
  private static boolean mentions(Database db, WalReader.WalHeader h) throws IOException {
    List<LtxFileName> names = db.history().list();
    for (int i = names.size() - 1; i >= Math.max(0, names.size() - GENERATION_SEARCH); i--) {
      try {
        LtxHeader lh = db.history().header(names.get(i));
        if (lh.walSize() > 0 && lh.walSalt1() == h.salt1() && lh.walSalt2() == h.salt2()) {
          return true;
        }
      } catch (dev.litefs.core.ltx.LtxException | java.io.EOFException e) {
        log.debug("skipping {} while looking for WAL salts: {}", names.get(i), e.getMessage());
      }
    }
    return false;
  }

  /** Reads the valid frames and groups them into committed transactions; a trailing partial one is dropped. */
  private static List<Tx> committed(WalReader r) throws IOException {
    byte[] page = new byte[r.header().pageSize()];
    List<Tx> txs = new ArrayList<>();
    Map<Integer, Long> pending = new TreeMap<>();
    long start = WalReader.HEADER_SIZE;
    for (WalReader.Frame f; (f = r.next(page)) != null; ) {
      pending.put(f.pgno(), f.offset());
      if (f.isCommit()) {
        txs.add(new Tx(start, r.offset(), f.commit(), pending));
        pending = new TreeMap<>();
        start = r.offset();
      }
    }
    return txs;
  }

  /** Copies the last version of every page of {@code txs} into the database, sized as the last one says. */
  private static void checkpoint(Database db, FileChannel walCh, int ps, List<Tx> txs) throws IOException {
    if (txs.isEmpty()) {
      return;
    }
    Map<Integer, Long> latest = new HashMap<>();
    for (Tx t : txs) {
      latest.putAll(t.frames());
    }
    int commitSize = txs.get(txs.size() - 1).commit();
    byte[] page = new byte[ps];
    try (FileChannel dbCh = FileChannel.open(db.databaseFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (Map.Entry<Integer, Long> e : latest.entrySet()) {
        if (e.getKey() > commitSize) {
          continue;
        }
        read(walCh, page, e.getValue() + WalReader.FRAME_HEADER_SIZE);
        ByteBuffer buf = ByteBuffer.wrap(page);
        long dst = (long) (e.getKey() - 1) * ps;
        while (buf.hasRemaining()) {
          dbCh.write(buf, dst + buf.position());
        }
      }
      dbCh.truncate((long) commitSize * ps);
      dbCh.force(false);
    }
  }

  private static void read(FileChannel ch, byte[] dst, long pos) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new IOException("WAL ended inside a frame at " + pos);
      }
    }
  }

  private static void delete(Database db) throws IOException {
    Files.deleteIfExists(db.walFile());
    Durable.syncDirectory(db.walFile().getParent());
  }
}
