package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxEncoder;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.LtxTrailer;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.sqlite.DatabaseHeader;
import dev.litefs.core.sqlite.InvalidDatabaseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link Database#importFrom}: a whole SQLite file recorded and written as one transaction, streamed so that
 * the heap holds a block of pages and the page checksums, never the database. The source is read once, in
 * blocks, into the transaction's LTX file; once that file is part of the history (the commit point, as for
 * any transaction), the pages are written to the database from it, so the database gets exactly what was
 * recorded even if the source changed meanwhile.
 */
final class DatabaseImport {
  /** Bytes read from the source at a time. */
  private static final int BLOCK_BYTES = 256 * 1024;

  private DatabaseImport() {}

  static LtxFileInfo run(Database db, Path source) throws IOException {
    DatabaseHeader header = DatabaseHeader.read(source);
    int ps = header.pageSize();
    long size = Files.size(source);
    if (size % ps != 0) {
      throw new InvalidDatabaseException(source + " is " + size + " bytes, not a whole number of " + ps + "-byte pages");
    }
    int commit = (int) (size / ps);
    // SQLite's locks first (waiting for clients' transactions), then the database lock: a client's commit
    // callback may be waiting for the database lock while it holds SQLite's.
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        DatabaseFileWriter.Session out = db.files().open(db, ps)) {
      db.lock().lock();
      try {
        PageChecksumTable old = db.table();
        if (old != null && old.pageSize() != ps) {
          throw new LtxException(db.name() + ": cannot import a database with " + ps + "-byte pages over one with "
              + old.pageSize() + "-byte pages");
        }
        db.checkCommitGate();
        LtxFileInfo info = record(db, in, source, ps, commit);
        writePages(db, LtxFileName.of(info.header().maxTxid()), info, out);
        out.finish(commit);
        return info;
      } finally {
        db.lock().unlock();
      }
    }
  }

  /** Writes the transaction's LTX file durably into the history and moves the position, as {@link Database#commit}. */
  private static LtxFileInfo record(Database db, FileChannel in, Path source, int ps, int commit) throws IOException {
    Pos pos = db.pos();
    Txid txid = pos.txid().next();
    LtxHeader h = LtxHeader.builder(ps, commit, txid, txid)
        .compressed(db.options().compress())
        .timestamp(db.options().clock().millis())
        .preApplyChecksum(txid.value() == 1 ? Checksum.NONE : pos.postApplyChecksum())
        .nodeId(db.options().nodeId())
        .build();
    PageChecksumTable table = new PageChecksumTable(ps);
    table.resize(commit);
    LtxTrailer[] trailer = new LtxTrailer[1];
    LtxFileName name = LtxFileName.of(txid);
    Path tmp = db.history().writeTemporary(name, o -> trailer[0] = encode(in, source, h, table, o));
    LtxFileInfo info = new LtxFileInfo(h, trailer[0]);
    CommitForwarder f = db.commitForwarder();
    if (f != null) {
      try {
        // Under a HALT lock the primary must accept the transaction before it is ours (LiteFS's order).
        f.forward(db, tmp, info);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
    }
    db.history().commit(tmp, name);
    return db.recordedWith(table, info);
  }

  /**
   * Encodes every page but the lock page, with page 1's change counter and schema cookie zeroed as LiteFS
   * does (so connections that have the old database open reload it), filling {@code table} as it goes.
   */
  private static LtxTrailer encode(FileChannel in, Path source, LtxHeader h, PageChecksumTable table,
      OutputStream o) throws IOException {
    int ps = h.pageSize();
    int commit = h.commit();
    int lockPage = PageChecksums.lockPage(ps);
    LtxEncoder enc = new LtxEncoder(o, h);
    ByteBuffer block = ByteBuffer.allocate(Math.max(BLOCK_BYTES / ps, 1) * ps);
    byte[] b = block.array();
    for (int first = 1; first <= commit; ) {
      int n = Math.min(block.capacity() / ps, commit - first + 1);
      block.clear().limit(n * ps);
      long at = (long) (first - 1) * ps;
      while (block.hasRemaining()) {
        if (in.read(block, at + block.position()) < 0) {
          throw new IOException(source + " shrank while it was imported, at page " + (first + block.position() / ps));
        }
      }
      for (int i = 0; i < n; i++) {
        int pgno = first + i;
        if (pgno == lockPage) {
          continue;
        }
        if (pgno == 1) {
          block.putInt(24, 0).putInt(40, 0);
        }
        table.set(pgno, enc.encodePage(pgno, b, i * ps));
      }
      first += n;
    }
    return enc.finish(table.checksum());
  }

  /** Writes every page of the recorded file, read back from the history and verified as it is read. */
  private static void writePages(Database db, LtxFileName name, LtxFileInfo info, DatabaseFileWriter.Session out)
      throws IOException {
    try (InputStream in = new BufferedInputStream(db.history().open(name), BLOCK_BYTES)) {
      LtxDecoder d = new LtxDecoder(in, db.history().path(name).toString());
      byte[] page = new byte[info.header().pageSize()];
      for (int pgno; (pgno = d.decodePage(page)) != 0; ) {
        out.writePage(pgno, page);
      }
      d.finish();
    }
  }
}
