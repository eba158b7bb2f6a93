package dev.litefs.core.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.BitSet;

/**
 * Rolls back a hot rollback journal into its database file, as SQLite's pager does when it opens a database
 * after a crash (ported from the journal format documented at sqlite.org/fileformat2.html, "The Rollback
 * Journal"): every segment header from the first sector on, records of {@code pgno, page, checksum} until
 * a record whose checksum fails or a header without the magic, the first saved copy of each page wins, and
 * the database is then truncated to its size before the transaction.
 *
 * <p>The engine rolls hot journals back itself (LiteFS does too) so that the page checksums it keeps in
 * memory are computed from the database as SQLite will see it.
 */
public final class HotJournal {
  /** The journal header magic. */
  static final long MAGIC = 0xd9d505f920a163d7L;
  /** Size of the meaningful part of a journal header; a PERSIST-mode commit zeroes exactly this. */
  public static final int HEADER_SIZE = 28;

  private HotJournal() {}

  /** What a rollback did. */
  public record Rollback(int pagesRestored, int originalPageCount) {}

  /**
   * Returns {@code true} if the journal holds a transaction to roll back: it starts with the magic. A
   * journal that is empty, truncated or whose header was zeroed (DELETE, TRUNCATE and PERSIST commits) is
   * not hot.
   */
  public static boolean isHot(FileChannel journal) throws IOException {
    if (journal.size() < HEADER_SIZE) {
      return false;
    }
    ByteBuffer b = ByteBuffer.allocate(8);
    readFully(journal, b, 0);
    return b.getLong(0) == MAGIC;
  }

  /**
   * Restores the pages saved in {@code journal} into {@code db} and truncates {@code db} to the size it had
   * before the transaction. Does nothing (and returns {@code null}) if the journal is not hot. The caller
   * deletes the journal afterwards.
   *
   * @param defaultPageSize the database's page size, used when the journal header does not give one
   * @throws InvalidDatabaseException if the journal header is hot but malformed
   * @throws IOException if a file cannot be read or written
   */
  public static Rollback rollback(FileChannel journal, FileChannel db, int defaultPageSize) throws IOException {
    if (!isHot(journal)) {
      return null;
    }
    long size = journal.size();
    ByteBuffer hdr = ByteBuffer.allocate(HEADER_SIZE);
    BitSet done = new BitSet();
    long off = 0;
    int restored = 0;
    int originalPages = -1;
    int pageSize = defaultPageSize;
    int sectorSize = 512;
    while (off + HEADER_SIZE <= size) {
      hdr.clear();
      readFully(journal, hdr, off);
      if (hdr.getLong(0) != MAGIC) {
        break;
      }
      long nRec = Integer.toUnsignedLong(hdr.getInt(8));
      int nonce = hdr.getInt(12);
      int dbPages = hdr.getInt(16);
      if (originalPages < 0) {
        // The first header fixes the sector and page size for the whole journal, as in SQLite.
        int s = hdr.getInt(20);
        int p = hdr.getInt(24);
        sectorSize = isPowerOfTwo(s, 32, 65536) ? s : 512;
        if (p != 0) {
          if (!isPowerOfTwo(p, 512, 65536)) {
            throw new InvalidDatabaseException("hot journal has invalid page size " + p);
          }
          pageSize = p;
        }
        originalPages = dbPages;
      }
      long recordSize = 4L + pageSize + 4;
      long recOff = off + sectorSize;
      if (nRec == 0xffffffffL) {
        nRec = (size - recOff) / recordSize;
      }
      byte[] page = new byte[pageSize];
      ByteBuffer rec = ByteBuffer.allocate((int) recordSize);
      boolean stop = false;
      for (long i = 0; i < nRec; i++, recOff += recordSize) {
        if (recOff + recordSize > size) {
          stop = true;
          break;
        }
        rec.clear();
        readFully(journal, rec, recOff);
        int pgno = rec.getInt(0);
        rec.position(4);
        rec.get(page);
        int cksum = rec.getInt(4 + pageSize);
        if (pgno == 0 || cksum != recordChecksum(nonce, page)) {
          stop = true;
          break;
        }
        if (Integer.compareUnsigned(pgno, originalPages) <= 0 && !done.get(pgno)) {
          done.set(pgno);
          writeFully(db, ByteBuffer.wrap(page), (long) (pgno - 1) * pageSize);
          restored++;
        }
      }
      if (stop) {
        break;
      }
      // The next segment header starts at the next sector boundary.
      off = ((recOff + sectorSize - 1) / sectorSize) * sectorSize;
    }
    db.truncate((long) originalPages * pageSize);
    db.force(false);
    return new Rollback(restored, originalPages);
  }

  /** SQLite's journal record checksum: the nonce plus every 200th byte counting back from the end. */
  static int recordChecksum(int nonce, byte[] page) {
    int sum = nonce;
    for (int i = page.length - 200; i > 0; i -= 200) {
      sum += page[i] & 0xff;
    }
    return sum;
  }

  private static boolean isPowerOfTwo(int v, int min, int max) {
    return v >= min && v <= max && (v & (v - 1)) == 0;
  }

  static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new java.io.EOFException("unexpected end of file at offset " + (pos + b.position()));
      }
    }
    b.flip();
  }

  static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b, pos + b.position());
    }
  }
}
