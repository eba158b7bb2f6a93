package dev.litefs.core.ltx;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import net.jpountz.lz4.LZ4FrameInputStream;

/**
 * Reads one LTX v1 file from a stream and checks it as it goes: the header at construction, each page as
 * it is decoded, and at {@link #finish()} the trailer, the file checksum and, for snapshots, the post-apply
 * checksum recomputed from the pages. Every error names the source given at construction.
 *
 * <p>An LZ4-compressed page block is read as exactly one frame, so the trailer after it is never consumed
 * by the decompressor. Any valid LZ4 frame is accepted, whatever compressor made it.
 */
public final class LtxDecoder {
  private final InputStream in;
  private final String source;
  private final LtxHeader header;
  private final int lockPage;
  private final InputStream block;
  private final byte[] pageHeader = new byte[4];
  private final Crc64.Shift pageShift;
  private long crc;
  private long pageXor;
  private long pageChecksum;
  private int lastPgno;
  private boolean pagesDone;
  private LtxTrailer trailer;

  /**
   * Reads and validates the header.
   *
   * @param source what the stream is (a file name, "stream from node X"), used in error messages
   * @throws LtxException if the header is malformed or breaks a rule
   * @throws IOException if the stream cannot be read
   */
  public LtxDecoder(InputStream in, String source) throws IOException {
    this.in = in;
    this.source = source;
    byte[] h = new byte[LtxHeader.SIZE];
    readFully(in, h, "header");
    try {
      this.header = LtxHeader.decode(h, 0);
      header.validate();
    } catch (LtxException e) {
      throw fail(e.getMessage());
    }
    this.lockPage = PageChecksums.lockPage(header.pageSize());
    this.pageShift = Crc64.Shift.of(4 + header.pageSize());
    crc = Crc64.update(0L, h, 0, h.length);
    // The LZ4 stream reads its frame header lazily; a bad frame is reported with the first page read.
    block = header.isCompressed() ? new LZ4FrameInputStream(in, true) : in;
  }

  /** Decodes from a stream with no name for errors. */
  public LtxDecoder(InputStream in) throws IOException {
    this(in, null);
  }

  /** The validated header. */
  public LtxHeader header() {
    return header;
  }

  /**
   * Decodes the next page into {@code buf} (at least one page long).
   *
   * @return the page number, or 0 once the page block has ended
   * @throws LtxException if the page number breaks a rule or the block is cut short
   * @throws IOException if the stream cannot be read
   */
  public int decodePage(byte[] buf) throws IOException {
    if (pagesDone) {
      return 0;
    }
    readBlock(pageHeader, 0, 4, 0);
    int pgno = ((pageHeader[0] & 0xff) << 24) | ((pageHeader[1] & 0xff) << 16)
        | ((pageHeader[2] & 0xff) << 8) | (pageHeader[3] & 0xff);
    if (pgno == 0) {
      crc = Crc64.update(crc, pageHeader, 0, 4);
      endBlock();
      return 0;
    }
    checkPageNumber(pgno);
    int size = header.pageSize();
    readBlock(buf, 0, size, pgno);
    // The page header and page are exactly what a page checksum covers: one pass serves both checksums.
    long pageCrc = Crc64.update(Crc64.updateInt(0L, pgno), buf, 0, size);
    crc = pageShift.concat(crc, pageCrc);
    pageChecksum = pageCrc | Checksum.FLAG;
    if (header.isSnapshot()) {
      pageXor ^= pageChecksum;
    }
    lastPgno = pgno;
    return pgno;
  }

  /**
   * The checksum ({@link PageChecksums#page}) of the page {@link #decodePage} returned last, computed as it
   * was decoded. Only the file checksum at {@link #finish()} vouches for the page.
   */
  public long pageChecksum() {
    return pageChecksum;
  }

  private void checkPageNumber(int pgno) throws LtxException {
    if (Integer.compareUnsigned(pgno, header.commit()) > 0) {
      throw fail("page number " + Integer.toUnsignedString(pgno) + " out-of-bounds for commit size " + header.commit());
    }
    if (pgno == lockPage) {
      throw fail("lock page " + pgno + " must not be in an LTX file");
    }
    if (header.isSnapshot()) {
      int expected = lastPgno + 1 == lockPage ? lastPgno + 2 : lastPgno + 1;
      if (pgno != expected) {
        throw fail("nonsequential page numbers in snapshot transaction: " + lastPgno + "," + pgno);
      }
    } else if (pgno <= lastPgno) {
      throw fail("out-of-order page numbers: " + lastPgno + "," + pgno);
    }
  }

  private void endBlock() throws IOException {
    pagesDone = true;
    if (header.isSnapshot() && header.commit() > 0) {
      int next = lastPgno + 1 == lockPage ? lastPgno + 2 : lastPgno + 1;
      if (next <= header.commit()) {
        throw fail("snapshot is missing pages: last page " + lastPgno + " of " + header.commit());
      }
    }
    if (block != in) {
      // Consumes the frame's end mark and content checksum; a single-frame reader stops there.
      int extra;
      try {
        extra = block.read();
      } catch (IOException e) {
        throw fail("invalid LZ4 frame end: " + e.getMessage(), e);
      }
      if (extra != -1) {
        throw fail("LZ4 frame holds data after the page block terminator");
      }
    }
  }

  /**
   * Reads the rest of the file and checks it: any pages not yet decoded, the trailer, the file checksum,
   * the post-apply checksum of a snapshot, and that nothing follows the trailer.
   *
   * @return the trailer
   * @throws ChecksumMismatchException if a checksum disagrees, with both values
   * @throws LtxException if the file is malformed
   * @throws IOException if the stream cannot be read
   */
  public LtxTrailer finish() throws IOException {
    if (trailer != null) {
      return trailer;
    }
    byte[] scratch = new byte[header.pageSize()];
    while (decodePage(scratch) != 0) {
      // Drains pages the caller did not read, so the checksums cover them.
    }
    byte[] t = new byte[LtxTrailer.SIZE];
    readFully(in, t, "trailer");
    LtxTrailer tr = LtxTrailer.decode(t, 0);
    try {
      tr.validate();
    } catch (LtxException e) {
      throw fail(e.getMessage());
    }
    long fileCrc = Crc64.update(crc, t, 0, 8) | Checksum.FLAG;
    if (fileCrc != tr.fileChecksum().value()) {
      throw mismatch("file checksum mismatch: trailer has " + tr.fileChecksum() + ", computed "
          + Checksum.of(fileCrc), tr.fileChecksum(), Checksum.of(fileCrc));
    }
    if (header.commit() == 0 && !tr.postApplyChecksum().equals(Checksum.EMPTY)) {
      throw mismatch("post-apply checksum of a deleted database must be " + Checksum.EMPTY + ", trailer has "
          + tr.postApplyChecksum(), Checksum.EMPTY, tr.postApplyChecksum());
    }
    if (header.isSnapshot()) {
      Checksum computed = Checksum.of(pageXor | Checksum.FLAG);
      if (!computed.equals(tr.postApplyChecksum())) {
        throw mismatch("post-apply checksum in trailer (" + tr.postApplyChecksum()
            + ") does not match calculated checksum (" + computed + ")", tr.postApplyChecksum(), computed);
      }
    }
    if (in.read() != -1) {
      throw fail("unexpected data after the trailer");
    }
    trailer = tr;
    return tr;
  }

  /**
   * Decodes and checks a whole file, discarding its pages.
   *
   * @return the header and trailer
   * @throws LtxException naming the first problem
   * @throws IOException if the stream cannot be read
   */
  public static LtxFileInfo verify(InputStream in, String source) throws IOException {
    LtxDecoder d = new LtxDecoder(in, source);
    LtxTrailer t = d.finish();
    return new LtxFileInfo(d.header(), t);
  }

  /**
   * Reads page {@code pgno} of the page block, or the next page header if {@code pgno} is 0. The name of what is
   * read is built only for an error: this runs for every page.
   */
  private void readBlock(byte[] b, int off, int len, int pgno) throws IOException {
    int n = 0;
    try {
      while (n < len) {
        int r = block.read(b, off + n, len - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (EOFException e) {
      // Reported below, as the end of the stream is.
    } catch (IOException e) {
      if (block == in) {
        throw e;
      }
      throw fail("invalid LZ4 page block reading " + pageName(pgno) + ": " + e.getMessage(), e);
    }
    if (n < len) {
      throw fail("unexpected end of file reading " + pageName(pgno) + " (" + n + " of " + len + " bytes)");
    }
  }

  private static String pageName(int pgno) {
    return pgno == 0 ? "page header" : "page " + Integer.toUnsignedString(pgno);
  }

  private void readFully(InputStream s, byte[] b, String what) throws IOException {
    readFully(s, b, 0, b.length, what);
  }

  private void readFully(InputStream s, byte[] b, int off, int len, String what) throws IOException {
    int n = 0;
    while (n < len) {
      int r;
      try {
        r = s.read(b, off + n, len - n);
      } catch (EOFException e) {
        r = -1;
      }
      if (r < 0) {
        throw fail("unexpected end of file reading " + what + " (" + n + " of " + len + " bytes)");
      }
      n += r;
    }
  }

  private String where(String message) {
    return source == null ? message : source + ": " + message;
  }

  private LtxException fail(String message) {
    return new LtxException(where(message));
  }

  private LtxException fail(String message, Throwable cause) {
    return new LtxException(where(message), cause);
  }

  private ChecksumMismatchException mismatch(String message, Checksum expected, Checksum actual) {
    return new ChecksumMismatchException(where(message), expected, actual);
  }
}
