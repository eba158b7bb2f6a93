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
  /** Bytes per read: as fast as any size from 128 KiB to 4 MiB here, and small enough for L2 (ADR 0001). */
  private static final int READ_SIZE = 256 << 10;

  private PageChecksums() {}

  /** Returns the checksum of page {@code pgno}, whose {@code pageSize} bytes start at {@code off}. */
  public static long page(int pgno, byte[] data, int off, int pageSize) {
    return Crc64.update(Crc64.updateInt(0L, pgno), data, off, pageSize) | Checksum.FLAG;
  }

  /** Returns the checksum of page {@code pgno}, whose bytes are the remaining bytes of {@code page}; consumes them. */
  public static long page(int pgno, ByteBuffer page) {
    return Crc64.update(Crc64.updateInt(0L, pgno), page) | Checksum.FLAG;
  }

  /** Returns the number of the lock page for {@code pageSize}: 262145 for 4 KiB pages. */
  public static int lockPage(int pageSize) {
    return (int) (PENDING_BYTE / pageSize) + 1;
  }

  /**
   * Returns the database checksum of the first {@code pageCount} pages of a database file, reading the
   * file with all available processors when it is 64 MiB or larger. Pages beyond the end of the file
   * count as missing (not as zeros), as LiteFS tolerates a short file; a partial last page is ignored.
   * The channel's position is not used or changed.
   *
   * @throws IOException if the file cannot be read, or shrinks while it is read
   */
  public static Checksum database(FileChannel ch, int pageSize, long pageCount) throws IOException {
    long pages = Math.min(pageCount, ch.size() / pageSize);
    int cores = Runtime.getRuntime().availableProcessors();
    // More segments than cores, so that a core slowed by other work hands its share to the others.
    int segments = pages * pageSize < PARALLEL_THRESHOLD || cores == 1 ? 1 : 4 * cores;
    return database(ch, pageSize, pages, segments);
  }

  /** {@link #database(FileChannel, int, long)} with the number of segments chosen by the caller. */
  static Checksum database(FileChannel ch, int pageSize, long pageCount, int segments) throws IOException {
    long pages = Math.min(pageCount, ch.size() / pageSize);
    if (pages <= 0) {
      return Checksum.EMPTY;
    }
    long perSegment = (pages + segments - 1) / segments;
    LongStream segmentIndexes = LongStream.range(0, (pages + perSegment - 1) / perSegment);
    try {
      long x = (segments > 1 ? segmentIndexes.parallel() : segmentIndexes)
          .map(s -> xorRange(ch, pageSize, 1 + s * perSegment, Math.min(pages, (s + 1) * perSegment)))
          .reduce(0L, (a, b) -> a ^ b);
      return Checksum.of(x | Checksum.FLAG);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * XOR of the page checksums of pages {@code first..last} inclusive, skipping the lock page.
   *
   * <p>Reads go into a direct buffer, which the kernel fills without the extra copy that a heap buffer
   * costs, and which is small enough to stay in the core's cache until it is checksummed (ADR 0001). The
   * file is not memory-mapped: that was no faster, and a mapped file that shrinks under the reader raises
   * SIGBUS, which the JVM reports as an asynchronous {@code InternalError} at best and by crashing at worst.
   */
  private static long xorRange(FileChannel ch, int pageSize, long first, long last) {
    int lockPage = lockPage(pageSize);
    int pagesPerRead = Math.max(1, READ_SIZE / pageSize);
    ByteBuffer buf = ByteBuffer.allocateDirect(pagesPerRead * pageSize);
    long x = 0;
    long pgno = first;
    try {
      while (pgno <= last) {
        int n = (int) Math.min(pagesPerRead, last - pgno + 1);
        buf.clear().limit(n * pageSize);
        long pos = (pgno - 1) * pageSize;
        while (buf.hasRemaining()) {
          if (ch.read(buf, pos + buf.position()) < 0) {
            throw new IOException(
                "database file shrank while it was checksummed, at page " + (pgno + buf.position() / pageSize));
          }
        }
        for (int i = 0; i < n; i++, pgno++) {
          if (pgno != lockPage) {
            x ^= page((int) pgno, buf.limit((i + 1) * pageSize).position(i * pageSize));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return x;
  }
}
