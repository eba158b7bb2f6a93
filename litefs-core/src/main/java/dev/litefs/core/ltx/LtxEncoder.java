package dev.litefs.core.ltx;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one LTX v1 file to a stream: the header at construction, then pages in order, then the trailer at
 * {@link #finish(Checksum)}. With the compress flag, the page block (page headers, pages and the zero
 * terminator) is written as one LZ4 frame with 64 KiB blocks and a content checksum, as LiteFS writes it
 * ({@link Lz4Frame}); the file checksum is always computed over the uncompressed bytes.
 *
 * <p>The encoder enforces the format's rules and refuses a page that breaks one: a page number of 0, above
 * the commit size, or SQLite's lock page; pages out of order; a snapshot that skips a page. It never closes
 * the stream it writes to.
 */
public final class LtxEncoder {
  private final OutputStream out;
  private final LtxHeader header;
  private final int lockPage;
  private final OutputStream block;
  private final Lz4Frame frame;
  private final byte[] pageHeader = new byte[4];
  private final Crc64.Shift pageShift;
  private long crc;
  private int lastPgno;
  private boolean finished;

  /**
   * Validates {@code header} and writes it.
   *
   * @throws LtxException if the header breaks a rule
   * @throws IOException if the stream cannot be written
   */
  public LtxEncoder(OutputStream out, LtxHeader header) throws IOException {
    this(out, header, header.isCompressed() ? new Lz4Frame() : null);
  }

  /**
   * As {@link #LtxEncoder(OutputStream, LtxHeader)}, compressing with {@code frame}, whose buffers a caller
   * that encodes many files keeps between them (it must not be in use elsewhere until {@link #finish}).
   */
  public LtxEncoder(OutputStream out, LtxHeader header, Lz4Frame frame) throws IOException {
    header.validate();
    this.out = out;
    this.header = header;
    this.lockPage = PageChecksums.lockPage(header.pageSize());
    this.pageShift = Crc64.Shift.of(4 + header.pageSize());
    byte[] h = header.encode();
    out.write(h);
    crc = Crc64.update(0L, h, 0, h.length);
    if (header.isCompressed()) {
      this.frame = frame;
      frame.start(out);
      block = frame;
    } else {
      this.frame = null;
      block = out;
    }
  }

  /** The header this encoder wrote. */
  public LtxHeader header() {
    return header;
  }

  /**
   * Writes page {@code pgno}, whose {@code pageSize} bytes start at {@code data[off]}.
   *
   * @return the page's checksum ({@link PageChecksums#page}), computed in the same pass as the file checksum
   * @throws LtxException if the page number breaks a rule of the format
   * @throws IOException if the stream cannot be written
   */
  public long encodePage(int pgno, byte[] data, int off) throws IOException {
    if (finished) {
      throw new IllegalStateException("cannot encode page " + pgno + ": the encoder is finished");
    }
    java.util.Objects.checkFromIndexSize(off, header.pageSize(), data.length);
    checkPageNumber(pgno);
    putInt(pageHeader, pgno);
    block.write(pageHeader);
    block.write(data, off, header.pageSize());
    // The page header and page are exactly what a page checksum covers: one pass serves both checksums.
    long pageCrc = Crc64.update(Crc64.updateInt(0L, pgno), data, off, header.pageSize());
    crc = pageShift.concat(crc, pageCrc);
    lastPgno = pgno;
    return pageCrc | Checksum.FLAG;
  }

  private void checkPageNumber(int pgno) throws LtxException {
    if (pgno == 0) {
      throw new LtxException("page number required");
    }
    if (Integer.compareUnsigned(pgno, header.commit()) > 0) {
      throw new LtxException("page number " + Integer.toUnsignedString(pgno) + " out-of-bounds for commit size " + header.commit());
    }
    if (pgno == lockPage) {
      throw new LtxException("cannot encode lock page: pgno=" + pgno);
    }
    if (header.isSnapshot()) {
      int expected = nextSnapshotPage(lastPgno);
      if (pgno != expected) {
        throw new LtxException("nonsequential page numbers in snapshot transaction: " + lastPgno + "," + pgno);
      }
    } else if (pgno <= lastPgno) {
      throw new LtxException("out-of-order page numbers: " + lastPgno + "," + pgno);
    }
  }

  private int nextSnapshotPage(int pgno) {
    return pgno + 1 == lockPage ? pgno + 2 : pgno + 1;
  }

  /**
   * Ends the page block and writes the trailer.
   *
   * @param postApplyChecksum the database checksum once this file is applied
   * @return the trailer written, with the file checksum
   * @throws LtxException if the checksum is malformed, a deleted database's checksum is not
   *     {@link Checksum#EMPTY}, or a snapshot is missing its last pages
   * @throws IOException if the stream cannot be written
   */
  public LtxTrailer finish(Checksum postApplyChecksum) throws IOException {
    if (finished) {
      throw new IllegalStateException("the encoder is already finished");
    }
    if (!postApplyChecksum.isValid()) {
      throw new LtxException("invalid post-apply checksum format: " + postApplyChecksum);
    }
    if (header.commit() == 0 && !postApplyChecksum.equals(Checksum.EMPTY)) {
      throw new LtxException("post-apply checksum must be empty for zero-length database, got " + postApplyChecksum);
    }
    if (header.isSnapshot() && header.commit() > 0 && nextSnapshotPage(lastPgno) <= header.commit()) {
      throw new LtxException("snapshot transaction file must contain all pages: last page "
          + lastPgno + " of " + header.commit());
    }
    finished = true;
    putInt(pageHeader, 0);
    block.write(pageHeader);
    crc = Crc64.update(crc, pageHeader, 0, 4);
    if (frame != null) {
      frame.finish();
    }
    byte[] post = LtxTrailer.encodeChecksum(postApplyChecksum);
    crc = Crc64.update(crc, post, 0, post.length);
    LtxTrailer trailer = new LtxTrailer(postApplyChecksum, Checksum.of(crc | Checksum.FLAG));
    out.write(trailer.encode());
    out.flush();
    return trailer;
  }

  static void putInt(byte[] b, int v) {
    b[0] = (byte) (v >>> 24);
    b[1] = (byte) (v >>> 16);
    b[2] = (byte) (v >>> 8);
    b[3] = (byte) v;
  }
}
