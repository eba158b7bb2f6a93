package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import java.io.IOException;
import java.io.InputStream;

/**
 * Writes a verified LTX file's pages into a database file and checks that the database then has the file's
 * post-apply checksum. Pages whose checksum the table already holds are skipped.
 */
final class PageApplier {
  private PageApplier() {}

  /** Applies recorded file {@code file} from the history, durably (recovery). The caller holds the lock. */
  static void applyRecorded(Database db, LtxFileName file, LtxFileInfo info) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(db.history().open(file), 64 * 1024)) {
      apply(db, file, info, null, in, true);
    }
  }

  /**
   * Applies the file read from {@code in} to {@code db} (whose page checksums are {@code table}), through
   * {@code held} if given (its locks held by the caller), else through a session opened here; with {@code
   * durable} the pages are synced. The caller holds the database lock.
   *
   * @throws ChecksumMismatchException if the database does not end at the file's post-apply checksum
   */
  static void apply(Database db, LtxFileName file, LtxFileInfo info, DatabaseFileWriter.Session held,
      InputStream in, boolean durable) throws IOException {
    PageChecksumTable table = db.table();
    LtxHeader h = info.header();
    DatabaseFileWriter writer = db.files();
    if (h.commit() == 0) {
      writer.delete(db);
      table = null;
      db.replaceTable(null);
    } else {
      if (table != null && table.pageSize() != h.pageSize()) {
        writer.delete(db);
        table = null;
        db.replaceTable(null);
      }
      if (table == null) {
        table = new PageChecksumTable(h.pageSize());
        db.replaceTable(table);
      }
      try (DatabaseFileWriter.Session out = held != null ? held.unclosable()
          : durable ? writer.open(db, h.pageSize()) : writer.openForStream(db, h.pageSize())) {
        LtxDecoder d = new LtxDecoder(in, db.history().path(file).toString());
        byte[] page = new byte[h.pageSize()];
        table.resize(h.commit());
        for (int pgno; (pgno = d.decodePage(page)) != 0; ) {
          long sum = d.pageChecksum();
          if (sum == table.get(pgno)) {
            continue; // Already there: recovery re-applies the last file, usually onto identical pages.
          }
          out.writePage(pgno, page);
          table.set(pgno, sum);
        }
        d.finish();
        if (durable) {
          out.finish(h.commit());
        } else {
          out.finishUnsynced(h.commit());
        }
      }
    }
    Checksum actual = table == null ? Checksum.EMPTY : table.checksum();
    if (!actual.equals(info.trailer().postApplyChecksum())) {
      throw new ChecksumMismatchException("database " + db.name() + ": database checksum " + actual + " on TXID "
          + h.maxTxid() + " does not match LTX post-apply checksum " + info.trailer().postApplyChecksum()
          + " (" + db.history().path(file) + ")", info.trailer().postApplyChecksum(), actual);
    }
  }

}
