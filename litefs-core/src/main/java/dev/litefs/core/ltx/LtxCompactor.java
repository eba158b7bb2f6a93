package dev.litefs.core.ltx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges contiguous LTX files into one, keeping the latest version of each page (ltx's {@code Compactor}).
 *
 * <p>The output spans the first file's min TXID to the last file's max TXID, takes the first file's
 * pre-apply checksum and the last file's commit, timestamp and post-apply checksum, drops pages beyond the
 * final commit, and clears the node ID and WAL fields. Each input is read once, page by page in a k-way
 * merge (every LTX file lists its pages in ascending order), so memory holds one page per input. The
 * checksum chain between inputs is checked once they are read, so on an exception the output is invalid
 * and must be discarded (write it to a temporary file).
 */
public final class LtxCompactor {
  private LtxCompactor() {}

  /**
   * Compacts {@code inputs} (in TXID order) into {@code out}.
   *
   * @param compress whether the output's page block is LZ4-compressed
   * @return the header and trailer written
   * @throws LtxException if the inputs are not contiguous, do not chain their checksums, disagree on page
   *     size, or one of them is invalid
   * @throws IOException if a stream cannot be read or written
   */
  public static LtxFileInfo compact(List<? extends InputStream> inputs, List<String> names, OutputStream out,
      boolean compress) throws IOException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one input file required");
    }
    List<Cursor> cursors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      String name = names.get(i);
      Cursor c = new Cursor(new LtxDecoder(inputs.get(i), name), name);
      if (!cursors.isEmpty()) {
        checkFollows(cursors.get(cursors.size() - 1), c);
      }
      cursors.add(c);
    }
    LtxHeader first = cursors.get(0).decoder.header();
    LtxHeader last = cursors.get(cursors.size() - 1).decoder.header();
    LtxHeader header = last.toBuilder()
        .compressed(compress)
        .minTxid(first.minTxid())
        .preApplyChecksum(first.preApplyChecksum())
        .wal(0, 0, 0, 0)
        .nodeId(0)
        .build();
    LtxEncoder enc = new LtxEncoder(out, header);
    for (Cursor c : cursors) {
      c.advance();
    }
    while (true) {
      int pgno = 0;
      for (Cursor c : cursors) {
        if (c.pgno != 0 && (pgno == 0 || c.pgno < pgno)) {
          pgno = c.pgno;
        }
      }
      if (pgno == 0 || pgno > header.commit()) {
        break;
      }
      Cursor latest = null;
      for (Cursor c : cursors) {
        if (c.pgno == pgno) {
          latest = c;
        }
      }
      enc.encodePage(pgno, latest.page, 0);
      for (Cursor c : cursors) {
        if (c.pgno == pgno) {
          c.advance();
        }
      }
    }
    Checksum post = null;
    String prevName = null;
    for (Cursor c : cursors) {
      LtxTrailer t = c.decoder.finish();
      LtxHeader h = c.decoder.header();
      if (post != null && !h.isSnapshot() && !h.preApplyChecksum().equals(post)) {
        throw new ChecksumMismatchException(c.name + ": pre-apply checksum " + h.preApplyChecksum()
            + " does not match post-apply checksum " + post + " of " + prevName, post, h.preApplyChecksum());
      }
      post = t.postApplyChecksum();
      prevName = c.name;
    }
    LtxTrailer trailer = enc.finish(post);
    return new LtxFileInfo(header, trailer);
  }

  private static void checkFollows(Cursor prev, Cursor next) throws LtxException {
    LtxHeader a = prev.decoder.header();
    LtxHeader b = next.decoder.header();
    if (a.pageSize() != b.pageSize()) {
      throw new LtxException("input files have mismatched page sizes: " + a.pageSize() + " in " + prev.name
          + ", " + b.pageSize() + " in " + next.name);
    }
    if (b.minTxid().value() != a.maxTxid().value() + 1) {
      throw new LtxException("non-contiguous transaction files: " + prev.name + " (" + a.minTxid() + "-"
          + a.maxTxid() + ") -> " + next.name + " (" + b.minTxid() + "-" + b.maxTxid() + ")");
    }
  }

  private static final class Cursor {
    final LtxDecoder decoder;
    final String name;
    final byte[] page;
    int pgno;

    Cursor(LtxDecoder decoder, String name) {
      this.decoder = decoder;
      this.name = name;
      this.page = new byte[decoder.header().pageSize()];
    }

    void advance() throws IOException {
      pgno = decoder.decodePage(page);
    }
  }
}
