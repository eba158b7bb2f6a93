package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxEncoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes a database as a snapshot LTX file (TXIDs 1 to the current one, every page, no pre-apply
 * checksum), checking the pages read against the position's checksum before the trailer is written.
 */
final class SnapshotWriter {
  private SnapshotWriter() {}

  /** A snapshot of {@code db} at its current position ({@link Database#writeSnapshot}). */
  static LtxFileInfo write(Database db, OutputStream out) throws IOException {
    // The read session's locks come first and this thread never takes the database lock while holding them
    // (a commit in flight holds SQLite's locks and waits for the database lock). In WAL mode the session
    // keeps only checkpoints out, so clients go on committing while the pages are read.
    try (DatabaseFileWriter.ReadSession in = db.pageCount() == 0 ? EmptyReadSession.open(db) : db.files().openRead(db)) {
      if (in.position().isZero()) {
        throw new IllegalStateException("database " + db.name() + " has no transactions to snapshot");
      }
      return write(db, in, out);
    }
  }

  /** A snapshot at the read session's position. */
  static LtxFileInfo write(Database db, DatabaseFileWriter.ReadSession in, OutputStream out) throws IOException {
    return write(db, in.position(), in.pageSize(), in.pageCount(), in, out);
  }

  /** A snapshot at {@code at} of {@code commit} pages read from {@code in} (recovery's, before any position). */
  static LtxFileInfo write(Database db, Pos at, int pageSize, int commit, DatabaseFileWriter.ReadSession in,
      OutputStream out) throws IOException {
    pageSize = pageSize == 0 ? 4096 : pageSize;
    LtxHeader header = LtxHeader.builder(pageSize, commit, Txid.of(1), at.txid())
        .compressed(db.options().compress())
        .timestamp(db.options().clock().millis())
        .nodeId(db.options().nodeId())
        .build();
    LtxEncoder enc = new LtxEncoder(out, header);
    long xor = 0;
    if (commit > 0) {
      int lockPage = PageChecksums.lockPage(pageSize);
      byte[] page = new byte[pageSize];
      for (int pgno = 1; pgno <= commit; pgno++) {
        if (pgno == lockPage) {
          continue;
        }
        in.readPage(pgno, page);
        xor ^= enc.encodePage(pgno, page, 0);
      }
    }
    Checksum computed = Checksum.of(xor | Checksum.FLAG);
    if (!computed.equals(at.postApplyChecksum())) {
      throw new ChecksumMismatchException("snapshot checksum mismatch on db " + db.name() + " at TXID "
          + at.txid() + ": pages give " + computed + ", position has " + at.postApplyChecksum(),
          at.postApplyChecksum(), computed);
    }
    return new LtxFileInfo(header, enc.finish(computed));
  }
}
