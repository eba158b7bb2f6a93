package dev.litefs.core.store;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.PageChecksums;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The checksum of every page of one database, and their XOR, kept up to date one page at a time so that a
 * commit's post-apply checksum costs only the pages it changed. The lock page has no checksum (0). Not
 * thread-safe: the owning {@link Database} serialises access.
 */
final class PageChecksumTable {
  private static final long PARALLEL_THRESHOLD_BYTES = 64L << 20;
  private static final int READ_BYTES = 1 << 20;

  private final int pageSize;
  private final int lockPage;
  private long[] pages = new long[0];
  private int count;
  private long xor;

  PageChecksumTable(int pageSize) {
    this.pageSize = pageSize;
    this.lockPage = PageChecksums.lockPage(pageSize);
  }

  int pageSize() {
    return pageSize;
  }

  int pageCount() {
    return count;
  }

  /** The database checksum: {@link Checksum#EMPTY} for an empty database. */
  Checksum checksum() {
    return Checksum.of(xor | Checksum.FLAG);
  }

  long get(int pgno) {
    return pgno <= count ? pages[pgno - 1] : 0;
  }

  /** Records page {@code pgno}'s new checksum, growing the database if it is past the end. */
  void set(int pgno, long checksum) {
    if (pgno == lockPage) {
      return;
    }
    if (pgno > count) {
      resize(pgno);
    }
    xor ^= pages[pgno - 1] ^ checksum;
    pages[pgno - 1] = checksum;
  }

  /** Sets the page count, dropping the checksums of pages past it (or adding missing ones as 0). */
  void resize(int pageCount) {
    for (int i = pageCount; i < count; i++) {
      xor ^= pages[i];
      pages[i] = 0;
    }
    if (pageCount > pages.length) {
      pages = Arrays.copyOf(pages, Math.max(pageCount, pages.length + pages.length / 2));
    }
    count = pageCount;
  }

  /** Returns what {@link #checksum()} would be after setting {@code updates} and resizing to {@code commit}. */
  Checksum preview(int commit, int[] pgnos, long[] checksums) {
    long x = xor;
    for (int i = commit; i < count; i++) {
      x ^= pages[i];
    }
    for (int i = 0; i < pgnos.length; i++) {
      int pgno = pgnos[i];
      if (pgno == lockPage || pgno > commit) {
        continue;
      }
      x ^= (pgno <= count ? pages[pgno - 1] : 0) ^ checksums[i];
    }
    return Checksum.of(x | Checksum.FLAG);
  }

  /**
   * Computes the table of the first {@code pageCount} pages of a database file, with all cores for large
   * files. Pages past the end of the file count as missing (checksum 0).
   */
  static PageChecksumTable compute(FileChannel ch, int pageSize, int pageCount) throws IOException {
    PageChecksumTable t = new PageChecksumTable(pageSize);
    int pages = (int) Math.min(pageCount, ch.size() / pageSize);
    t.pages = new long[Math.max(pageCount, 1)];
    t.count = pageCount;
    if (pages > 0) {
      int segments = (long) pages * pageSize < PARALLEL_THRESHOLD_BYTES ? 1 : Runtime.getRuntime().availableProcessors();
      int per = (pages + segments - 1) / segments;
      try {
        IntStream.range(0, segments).parallel().forEach(s -> fill(ch, t, s * per + 1, Math.min(pages, (s + 1) * per)));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    long x = 0;
    for (int i = 0; i < pageCount; i++) {
      x ^= t.pages[i];
    }
    t.xor = x;
    return t;
  }

  private static void fill(FileChannel ch, PageChecksumTable t, int first, int last) {
    int ps = t.pageSize;
    int perRead = Math.max(1, READ_BYTES / ps);
    ByteBuffer buf = ByteBuffer.allocate(perRead * ps);
    byte[] a = buf.array();
    try {
      for (int pgno = first; pgno <= last; ) {
        int n = Math.min(perRead, last - pgno + 1);
        buf.clear().limit(n * ps);
        long pos = (long) (pgno - 1) * ps;
        while (buf.hasRemaining()) {
          if (ch.read(buf, pos + buf.position()) < 0) {
            throw new IOException("database file shrank while it was checksummed, at page " + pgno);
          }
        }
        for (int i = 0; i < n; i++, pgno++) {
          if (pgno != t.lockPage) {
            t.pages[pgno - 1] = PageChecksums.page(pgno, a, i * ps, ps);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
