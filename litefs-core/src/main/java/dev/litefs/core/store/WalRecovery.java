package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.sqlite.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a WAL left by a crash back in line with the LTX history, then checkpoints it into the database
 * file so the database alone holds every recorded transaction:
 * <ul>
 *   <li>a WAL from another generation than the last LTX file (different salts), or with committed frames
 *       when the last LTX file came from the rollback journal, is renamed to {@code wal.removed}: its
 *       transactions were never recorded, so no client was told they committed;
 *   <li>frames past the last LTX file's range are cut off for the same reason;
 *   <li>the last committed version of each page is copied into the database, which is truncated to the
 *       last commit's size, and the WAL is deleted.
 * </ul>
 */
final class WalRecovery {
  private static final Logger log = LoggerFactory.getLogger(WalRecovery.class);

  private WalRecovery() {}

  static void recover(Database db, LtxHeader last) throws IOException {
    Path wal = db.walFile();
    if (!Files.exists(wal)) {
      return;
    }
    boolean checkpointed = false;
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      WalReader r = WalReader.open(ch);
      if (r != null) {
        boolean sameGeneration = last != null && last.walSize() > 0
            && last.walSalt1() == r.header().salt1() && last.walSalt2() == r.header().salt2();
        if (!sameGeneration) {
          if (hasCommit(ch)) {
            log.warn("database {}: WAL holds transactions that are not in the LTX history (salts {}/{}); moving it "
                + "aside to wal.removed", db.name(), Integer.toHexString(r.header().salt1()),
                Integer.toHexString(r.header().salt2()));
            Files.move(wal, wal.resolveSibling("wal.removed"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Durable.syncDirectory(wal.getParent());
            return;
          }
        } else {
          long end = last.walOffset() + last.walSize();
          if (ch.size() > end) {
            log.info("database {}: truncating WAL from {} to {} bytes, the end of the last LTX file", db.name(),
                ch.size(), end);
            ch.truncate(end);
          }
          checkpointed = checkpoint(db, ch);
        }
      }
    }
    Files.delete(wal);
    Durable.syncDirectory(wal.getParent());
    if (checkpointed) {
      log.info("database {}: checkpointed the WAL left at startup", db.name());
    }
  }

  private static boolean hasCommit(FileChannel ch) throws IOException {
    WalReader r = WalReader.open(ch);
    byte[] page = new byte[r.header().pageSize()];
    for (WalReader.Frame f; (f = r.next(page)) != null; ) {
      if (f.isCommit()) {
        return true;
      }
    }
    return false;
  }

  /** Copies the last committed version of every page into the database; returns whether any was. */
  private static boolean checkpoint(Database db, FileChannel walCh) throws IOException {
    WalReader r = WalReader.open(walCh);
    int ps = r.header().pageSize();
    byte[] page = new byte[ps];
    Map<Integer, Long> pending = new HashMap<>();
    Map<Integer, Long> committed = new HashMap<>();
    int commitSize = 0;
    for (WalReader.Frame f; (f = r.next(page)) != null; ) {
      pending.put(f.pgno(), f.offset());
      if (f.isCommit()) {
        committed.putAll(pending);
        pending.clear();
        commitSize = f.commit();
      }
    }
    if (commitSize == 0) {
      return false;
    }
    try (FileChannel dbCh = FileChannel.open(db.databaseFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(page);
      for (Map.Entry<Integer, Long> e : committed.entrySet()) {
        if (e.getKey() > commitSize) {
          continue;
        }
        buf.clear();
        long src = e.getValue() + WalReader.FRAME_HEADER_SIZE;
        while (buf.hasRemaining()) {
          if (walCh.read(buf, src + buf.position()) < 0) {
            throw new IOException("WAL of " + db.name() + " ended inside a frame at " + src);
          }
        }
        buf.flip();
        long dst = (long) (e.getKey() - 1) * ps;
        while (buf.hasRemaining()) {
          dbCh.write(buf, dst + buf.position());
        }
      }
      dbCh.truncate((long) commitSize * ps);
      dbCh.force(false);
    }
    return true;
  }
}
