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

  static LtxFileInfo write(Database db, Pos at, PageChecksumTable table, OutputStream out,
      DatabaseFileWriter.ReadSession in) throws IOException {
    int pageSize = table == null ? 4096 : table.pageSize();
    int commit = table == null ? 0 : table.pageCount();
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
        xor ^= PageChecksums.page(pgno, page, 0, pageSize);
        enc.encodePage(pgno, page, 0);
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
