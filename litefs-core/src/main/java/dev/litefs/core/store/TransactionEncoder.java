package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.LtxEncoder;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.LtxTrailer;
import dev.litefs.core.ltx.Lz4Frame;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns one database's transactions into LTX files: the header that follows the position, the page
 * checksums and post-apply checksum, and the encoded file. One per database, used under its lock; it keeps
 * its LZ4 frame writer so encoding allocates nothing per transaction.
 */
final class TransactionEncoder {
  /** What recording a transaction needs: its header, post-apply checksum and page checksums. */
  record Prepared(LtxHeader header, Checksum post, PageChecksumTable table, int[] pgnos, long[] sums) {
    /** Moves {@code table} (the one given to {@link #prepare}, or a new one) to after this transaction. */
    void applyTo(int commit) {
      table.resize(commit);
      for (int i = 0; i < pgnos.length; i++) {
        table.set(pgnos[i], sums[i]);
      }
    }
  }

  private final String name;
  private final StoreOptions options;
  private final Lz4Frame frame = new Lz4Frame();

  TransactionEncoder(String name, StoreOptions options) {
    this.name = name;
    this.options = options;
  }

  /** Prepares {@code tx} to follow {@code pos}, whose page checksums are {@code table} (null before the first). */
  Prepared prepare(Transaction tx, Pos pos, PageChecksumTable table) throws LtxException {
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

  /** Writes the LTX file of {@code tx} prepared as {@code p} to {@code out}. */
  LtxTrailer encode(Prepared p, Transaction tx, OutputStream out) throws IOException {
    LtxEncoder enc = new LtxEncoder(out, p.header(), frame);
    for (Transaction.Page page : tx.pages()) {
      enc.encodePage(page.pgno(), page.data(), 0);
    }
    return enc.finish(p.post());
  }
}
