package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.sqlite.DatabaseHeader;
import dev.litefs.core.sqlite.InvalidDatabaseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** {@link Database#importFrom}: a whole SQLite file recorded and written as one transaction. */
final class DatabaseImport {
  private DatabaseImport() {}

  static LtxFileInfo run(Database db, Path source) throws IOException {
    DatabaseHeader header = DatabaseHeader.read(source);
    int ps = header.pageSize();
    long size = Files.size(source);
    if (size % ps != 0) {
      throw new InvalidDatabaseException(source + " is " + size + " bytes, not a whole number of " + ps + "-byte pages");
    }
    int commit = (int) (size / ps);
    List<Transaction.Page> pages = readPages(source, ps, commit);
    // SQLite's locks first (waiting for clients' transactions), then the database lock: a client's commit
    // callback may be waiting for the database lock while it holds SQLite's.
    try (DatabaseFileWriter.Session out = db.files().open(db, ps)) {
      db.lock().lock();
      try {
        PageChecksumTable table = db.table();
        if (table != null && table.pageSize() != ps) {
          throw new LtxException(db.name() + ": cannot import a database with " + ps + "-byte pages over one with "
              + table.pageSize() + "-byte pages");
        }
        LtxFileInfo info = db.commit(new Transaction(ps, commit, pages, db.options().clock().millis(), null));
        for (Transaction.Page p : pages) {
          out.writePage(p.pgno(), p.data());
        }
        out.finish(commit);
        return info;
      } finally {
        db.lock().unlock();
      }
    }
  }

  /** Every page but the lock page, with page 1's change counter and schema cookie zeroed as LiteFS does. */
  private static List<Transaction.Page> readPages(Path source, int ps, int commit) throws IOException {
    int lockPage = PageChecksums.lockPage(ps);
    List<Transaction.Page> pages = new ArrayList<>();
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      for (int pgno = 1; pgno <= commit; pgno++) {
        if (pgno == lockPage) {
          continue;
        }
        ByteBuffer b = ByteBuffer.allocate(ps);
        while (b.hasRemaining() && in.read(b, (long) (pgno - 1) * ps + b.position()) >= 0) {
          // reads the whole page
        }
        if (pgno == 1) {
          // So connections that have the old database open reload it.
          b.putInt(24, 0).putInt(40, 0);
        }
        pages.add(new Transaction.Page(pgno, b.array()));
      }
    }
    return pages;
  }
}
