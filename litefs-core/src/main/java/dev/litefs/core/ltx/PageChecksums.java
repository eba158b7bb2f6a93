package dev.litefs.core.ltx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.stream.LongStream;

/**
 * LiteFS's page and database checksums.
 *
 * <p>A page checksum is {@code CRC64(uint32_be(pgno) || page) | 1<<63}. A database checksum is
 * {@code 1<<63 | XOR of the page checksums of pages 1..commit}, skipping SQLite's lock page (the page that
 * holds byte {@code 0x40000000}, which SQLite never writes). Because it is an XOR, it can be kept up to date
 * one page at a time: XOR out a page's old checksum, XOR in the new one.
 */
public final class PageChecksums {
  /** SQLite's PENDING_BYTE: the first byte of the lock page. */
  public static final long PENDING_BYTE = 0x40000000L;

  /** Files at least this large are checksummed by several threads. */
  private static final long PARALLEL_THRESHOLD = 64L << 20;
  private static final int READ_SIZE = 1 << 20;

  private PageChecksums() {}

  /** Returns the checksum of page {@code pgno}, whose {@code pageSize} bytes start at {@code off}. */
  public static long page(int pgno, byte[] data, int off, int pageSize) {
    return Crc64.update(Crc64.updateInt(0L, pgno), data, off, pageSize) | Checksum.FLAG;
  }

  /** Returns the number of the lock page for {@code pageSize}: 262145 for 4 KiB pages. */
  public static int lockPage(int pageSize) {
    return (int) (PENDING_BYTE / pageSize) + 1;
  }

  /**
   * Returns the database checksum of the first {@code pageCount} pages of a database file, reading the
   * file in parallel when it is large. Pages beyond the end of the file count as missing (not as zeros),
   * as LiteFS tolerates a short file.
   *
   * @throws IOException if the file cannot be read
   */
  public static Checksum database(FileChannel ch, int pageSize, long pageCount) throws IOException {
    long pages = Math.min(pageCount, ch.size() / pageSize);
    if (pages <= 0) {
      return Checksum.EMPTY;
    }
    int segments = pages * pageSize < PARALLEL_THRESHOLD ? 1 : Runtime.getRuntime().availableProcessors();
    long perSegment = (pages + segments - 1) / segments;
    try {
      long x = LongStream.range(0, segments)
          .parallel()
          .map(s -> xorRange(ch, pageSize, 1 + s * perSegment, Math.min(pages, (s + 1) * perSegment)))
          .reduce(0L, (a, b) -> a ^ b);
      return Checksum.of(x | Checksum.FLAG);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** XOR of the page checksums of pages {@code first..last} inclusive, skipping the lock page. */
  private static long xorRange(FileChannel ch, int pageSize, long first, long last) {
    int lockPage = lockPage(pageSize);
    int pagesPerRead = Math.max(1, READ_SIZE / pageSize);
    ByteBuffer buf = ByteBuffer.allocate(pagesPerRead * pageSize);
    byte[] a = buf.array();
    long x = 0;
    long pgno = first;
    try {
      while (pgno <= last) {
        int n = (int) Math.min(pagesPerRead, last - pgno + 1);
        buf.clear().limit(n * pageSize);
        long pos = (pgno - 1) * pageSize;
        while (buf.hasRemaining()) {
          if (ch.read(buf, pos + buf.position()) < 0) {
            throw new IOException("database file shrank while it was checksummed, at page " + (pgno + buf.position() / pageSize));
          }
        }
        for (int i = 0; i < n; i++, pgno++) {
          if (pgno != lockPage) {
            x ^= page((int) pgno, a, i * pageSize, pageSize);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return x;
  }
}
