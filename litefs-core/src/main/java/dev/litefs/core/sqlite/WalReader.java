package dev.litefs.core.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads a SQLite write-ahead log the way SQLite's recovery does: the 32-byte header, then frames of a
 * 24-byte header and a page, each valid only while its salts match the header's and the running checksum
 * (SQLite's Fletcher-like sum over the header's first 24 bytes, then each frame's first 8 header bytes and
 * page) agrees. The log ends at the first invalid frame; only frames up to the last commit frame (a
 * non-zero "database size after commit") are committed.
 */
public final class WalReader {
  /** Size of the WAL header. */
  public static final int HEADER_SIZE = 32;
  /** Size of a frame header. */
  public static final int FRAME_HEADER_SIZE = 24;
  private static final int MAGIC_LE = 0x377f0682;
  private static final int MAGIC_BE = 0x377f0683;
  private static final int VERSION = 3007000;

  private final FileChannel ch;
  private final WalHeader header;
  private long offset = HEADER_SIZE;
  private int s1;
  private int s2;

  private WalReader(FileChannel ch, WalHeader header) {
    this.ch = ch;
    this.header = header;
    this.s1 = header.checksum1();
    this.s2 = header.checksum2();
  }

  /** The fields of a WAL header. */
  public record WalHeader(boolean bigEndianChecksums, int pageSize, int checkpointSeq, int salt1, int salt2,
      int checksum1, int checksum2) {}

  /** One valid frame. */
  public record Frame(long offset, int pgno, int commit) {
    /** Returns {@code true} for a commit frame: it ends a transaction. */
    public boolean isCommit() {
      return commit != 0;
    }
  }

  /**
   * Opens a reader on {@code ch}, or returns {@code null} when the file has no valid header (empty, short,
   * bad magic, version or header checksum): such a WAL holds nothing SQLite would recover.
   */
  public static WalReader open(FileChannel ch) throws IOException {
    if (ch.size() < HEADER_SIZE) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    HotJournal.readFully(ch, b, 0);
    int magic = b.getInt(0);
    if (magic != MAGIC_LE && magic != MAGIC_BE) {
      return null;
    }
    if (b.getInt(4) != VERSION) {
      return null;
    }
    boolean bigEndian = magic == MAGIC_BE;
    int[] sum = checksum(bigEndian, 0, 0, b.array(), 0, 24);
    if (sum[0] != b.getInt(24) || sum[1] != b.getInt(28)) {
      return null;
    }
    int raw = b.getInt(8);
    int pageSize = raw == 1 ? 65536 : raw;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0) {
      return null;
    }
    return new WalReader(ch, new WalHeader(bigEndian, pageSize, b.getInt(12), b.getInt(16), b.getInt(20),
        b.getInt(24), b.getInt(28)));
  }

  /** The header. */
  public WalHeader header() {
    return header;
  }

  /** The offset of the next frame. */
  public long offset() {
    return offset;
  }

  /** The running checksum after the last frame read. */
  public int[] runningChecksum() {
    return new int[] {s1, s2};
  }

  /**
   * Reads the next frame into {@code page} (at least one page long).
   *
   * @return the frame, or {@code null} at the end of the valid log
   */
  public Frame next(byte[] page) throws IOException {
    int ps = header.pageSize();
    long frameSize = FRAME_HEADER_SIZE + (long) ps;
    if (offset + frameSize > ch.size()) {
      return null;
    }
    ByteBuffer fh = ByteBuffer.allocate(FRAME_HEADER_SIZE);
    HotJournal.readFully(ch, fh, offset);
    ByteBuffer data = ByteBuffer.wrap(page, 0, ps);
    HotJournal.readFully(ch, data, offset + FRAME_HEADER_SIZE);
    if (fh.getInt(8) != header.salt1() || fh.getInt(12) != header.salt2()) {
      return null;
    }
    int[] sum = checksum(header.bigEndianChecksums(), s1, s2, fh.array(), 0, 8);
    sum = checksum(header.bigEndianChecksums(), sum[0], sum[1], page, 0, ps);
    if (sum[0] != fh.getInt(16) || sum[1] != fh.getInt(20)) {
      return null;
    }
    s1 = sum[0];
    s2 = sum[1];
    Frame f = new Frame(offset, fh.getInt(0), fh.getInt(4));
    offset += frameSize;
    return f;
  }

  /**
   * SQLite's WAL checksum over {@code len} bytes (a multiple of 8), continuing from {@code (s1, s2)}: for
   * each pair of 32-bit words {@code x0, x1}, {@code s1 += x0 + s2; s2 += x1 + s1}. Words are big-endian
   * when {@code bigEndian}, else little-endian.
   */
  public static int[] checksum(boolean bigEndian, int s1, int s2, byte[] b, int off, int len) {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (int i = off; i < off + len; i += 8) {
      s1 += buf.getInt(i) + s2;
      s2 += buf.getInt(i + 4) + s1;
    }
    return new int[] {s1, s2};
  }
}
