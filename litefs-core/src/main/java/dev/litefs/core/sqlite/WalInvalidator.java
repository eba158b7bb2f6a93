package dev.litefs.core.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Takes back a transaction that SQLite wrote to its WAL but was told failed (the engine could not, or would not,
 * record it): one byte of its frames is changed so that a frame's checksum no longer validates. SQLite's WAL
 * recovery and {@link WalReader} both stop at the first frame that does not validate, so neither ever reaches the
 * transaction's commit frame again, after a crash or when the last connection reopens the database. SQLite itself
 * overwrites those frames with its next transaction (its WAL index never counted them).
 *
 * <p>The byte changed lies inside the write that failed when it can: the kernel drops its cached copy of the pages
 * a failed FUSE write touched, so the next read through the mount comes from the file changed here, whereas a page
 * written successfully earlier may stay cached with the valid bytes.
 */
public final class WalInvalidator {
  private WalInvalidator() {}

  /**
   * Invalidates transaction {@code c} in {@code wal} (open for writing) and syncs the file; {@code writeOff} and
   * {@code writeLen} are the failed write's range. Prefers, in the earliest frame of {@code c} the write covers,
   * the frame's stored checksum (when the write covered all of it), else the frame's last byte (part of the last
   * word pair of the checksum, so the sum changes); with neither covered, the commit frame's stored checksum.
   *
   * @return the offset of the first byte changed
   */
  public static long invalidate(FileChannel wal, WalCommitTracker.Commit c, long writeOff, long writeLen)
      throws IOException {
    long frameSize = WalReader.FRAME_HEADER_SIZE + (long) c.header().pageSize();
    long end = c.offset() + c.size();
    long writeEnd = writeOff + writeLen;
    for (long frame = c.offset(); frame + frameSize <= end; frame += frameSize) {
      long checksum = frame + 16;
      if (writeOff <= checksum && checksum + 8 <= writeEnd) {
        invert(wal, checksum, 8);
        return checksum;
      }
      long last = frame + frameSize - 1;
      if (writeOff <= last && last < writeEnd) {
        invert(wal, last, 1);
        return last;
      }
    }
    long commitChecksum = end - frameSize + 16;
    invert(wal, commitChecksum, 8);
    return commitChecksum;
  }

  private static void invert(FileChannel wal, long off, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    HotJournal.readFully(wal, b, off);
    ByteBuffer out = ByteBuffer.allocate(len);
    for (int i = 0; i < len; i++) {
      out.put(i, (byte) ~b.get(i));
    }
    HotJournal.writeFully(wal, out, off);
    wal.force(false);
  }
}
