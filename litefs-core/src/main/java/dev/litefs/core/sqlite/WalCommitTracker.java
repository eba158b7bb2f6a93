package dev.litefs.core.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds committed transactions in a WAL as SQLite writes it, from the bytes alone (no locks): after every
 * write, the frames from the end of the last committed transaction are checked against the WAL header's
 * salts and the running checksum; when they validate through a commit frame, that transaction is
 * committed.
 *
 * <p>This handles what SQLite does beyond appending: a transaction that spilled pages and changed one
 * again overwrites that frame's page in place, writes its commit frame with a stale checksum and then
 * rewrites the checksums of the frames after the overwritten one ({@code walRewriteChecksums}), so the
 * chain only validates after the last rewrite; a WAL restart writes a new header (new salts) and starts
 * over at the first frame; with powersafe-overwrite off the commit frame is repeated as padding, which is
 * not a new transaction.
 *
 * <p>Not thread-safe: one tracker per database, driven by the thread that passes the writes through.
 */
public final class WalCommitTracker {
  private final FileChannel wal;
  private final byte[] frameHeader = new byte[WalReader.FRAME_HEADER_SIZE];
  /** Reused for every frame read, so following the WAL allocates nothing per write. */
  private byte[] page = new byte[0];
  private WalReader.WalHeader header;
  private long committedEnd;
  private int s1;
  private int s2;
  private int lastCommitPgno;
  private int lastCommitSize;
  private byte[] lastCommitPage;
  /**
   * Frames after the committed end that already validate, with the running checksum after each: the next
   * write is checked from there, so a transaction of n frames costs n frame reads, not n squared.
   */
  private int validated;
  private int[] validatedPgno = new int[64];
  private int[] validatedSum1 = new int[64];
  private int[] validatedSum2 = new int[64];

  /**
   * A committed transaction: its frames' range, per page the offset of its last frame, and the page its
   * commit frame holds (read anyway to validate it, so a one-page transaction needs no second read);
   * {@code before} is where the tracker stood before it, to go back to if recording it fails.
   */
  public record Commit(long offset, long size, int commitPages, Map<Integer, Long> frames, WalReader.WalHeader header,
      byte[] commitFramePage, State before) {
    /** The offset of the commit frame, the last one. */
    public long commitFrameOffset() {
      return offset + size - WalReader.FRAME_HEADER_SIZE - commitFramePage.length;
    }
  }

  /** Where the tracker stands, to go back to if recording a transaction it reported fails. */
  public record State(WalReader.WalHeader header, long committedEnd, int checksum1, int checksum2, int lastCommitPgno,
      int lastCommitSize, byte[] lastCommitPage) {}

  /** Returns where the tracker stands now. */
  public State state() {
    return new State(header, committedEnd, s1, s2, lastCommitPgno, lastCommitSize, lastCommitPage);
  }

  /** Goes back to {@code st}, so the transactions reported since are reported again by the next write. */
  public void restore(State st) {
    header = st.header();
    committedEnd = st.committedEnd();
    s1 = st.checksum1();
    s2 = st.checksum2();
    lastCommitPgno = st.lastCommitPgno();
    lastCommitSize = st.lastCommitSize();
    lastCommitPage = st.lastCommitPage();
    validated = 0;
  }

  /** Tracks the WAL in {@code wal}, which must reflect every write before {@link #afterWrite} is called. */
  public WalCommitTracker(FileChannel wal) {
    this.wal = wal;
  }

  /**
   * Starts tracking at a known committed end, e.g. after recovery; with no header yet, pass {@code null}.
   */
  public void resume(WalReader.WalHeader header, long committedEnd, int checksum1, int checksum2) {
    this.header = header;
    this.committedEnd = committedEnd;
    this.s1 = checksum1;
    this.s2 = checksum2;
    this.lastCommitPage = null;
    this.validated = 0;
  }

  /** The offset just past the last committed transaction (32 after a header, 0 before one). */
  public long committedEnd() {
    return committedEnd;
  }

  /** The header in use, or {@code null} before SQLite has written one. */
  public WalReader.WalHeader header() {
    return header;
  }

  /** The WAL was truncated to {@code size} (SQLite only truncates to 0, on a TRUNCATE checkpoint). */
  public void truncated(long size) {
    if (size < WalReader.HEADER_SIZE) {
      header = null;
      committedEnd = 0;
      lastCommitPage = null;
      validated = 0;
    } else if (size < committedEnd) {
      throw new IllegalStateException("WAL truncated to " + size + " bytes, inside committed frames ending at "
          + committedEnd);
    }
  }

  /**
   * Checks the WAL after a write of {@code len} bytes at {@code off} and returns the transactions that
   * became committed (usually none or one).
   */
  public List<Commit> afterWrite(long off, int len) throws IOException {
    if (off < WalReader.HEADER_SIZE) {
      readHeader();
      return List.of();
    }
    if (header == null) {
      return List.of();
    }
    long frameSize = WalReader.FRAME_HEADER_SIZE + (long) header.pageSize();
    if (off < committedEnd + validated * frameSize) {
      // A frame already validated was rewritten (a spilled page changed again, or its checksums rewritten).
      validated = (int) Math.max(0, (off - committedEnd) / frameSize);
    }
    if (off >= committedEnd && off + len < committedEnd + frameSize) {
      // Nothing can have become committed: the first frame after the committed end is not whole yet. SQLite
      // writes a frame's header before its page, in order, and a commit that validates only after
      // walRewriteChecksums has more than one frame, so its last rewrite ends past the first frame. The
      // file may be longer (frames of an older generation), and reading those would only fail the salts.
      return List.of();
    }
    List<Commit> commits = new ArrayList<>();
    long size = wal.size();
    for (Commit c; (c = nextCommit(size)) != null; ) {
      if (!isPadding(c)) {
        commits.add(c);
      }
    }
    return commits;
  }

  private void readHeader() throws IOException {
    WalReader r = WalReader.open(wal);
    if (r == null) {
      return; // The header is written in pieces only if something is badly wrong; wait for a valid one.
    }
    WalReader.WalHeader h = r.header();
    if (header != null && h.salt1() == header.salt1() && h.salt2() == header.salt2()) {
      return; // Same generation (a rewrite of the same header).
    }
    header = h;
    committedEnd = WalReader.HEADER_SIZE;
    s1 = h.checksum1();
    s2 = h.checksum2();
    lastCommitPage = null;
    validated = 0;
  }

  /** Validates frames from the last validated one; returns the next committed transaction, if complete. */
  private Commit nextCommit(long size) throws IOException {
    int ps = header.pageSize();
    long frameSize = WalReader.FRAME_HEADER_SIZE + (long) ps;
    long from = committedEnd + validated * frameSize;
    if (from + frameSize > size) {
      return null; // not one whole frame yet (SQLite writes a frame in two or three pieces)
    }
    byte[] fh = frameHeader;
    if (page.length != ps) {
      page = new byte[ps];
    }
    State before = state();
    int c1 = validated == 0 ? s1 : validatedSum1[validated - 1];
    int c2 = validated == 0 ? s2 : validatedSum2[validated - 1];
    for (long at = from; at + frameSize <= size; at += frameSize) {
      read(fh, at);
      read(page, at + WalReader.FRAME_HEADER_SIZE);
      ByteBuffer b = ByteBuffer.wrap(fh);
      if (b.getInt(8) != header.salt1() || b.getInt(12) != header.salt2()) {
        return null;
      }
      int[] sum = WalReader.checksum(header.bigEndianChecksums(), c1, c2, fh, 0, 8);
      sum = WalReader.checksum(header.bigEndianChecksums(), sum[0], sum[1], page, 0, ps);
      if (sum[0] != b.getInt(16) || sum[1] != b.getInt(20)) {
        return null;
      }
      c1 = sum[0];
      c2 = sum[1];
      int pgno = b.getInt(0);
      addValidated(pgno, c1, c2);
      int commit = b.getInt(4);
      if (commit != 0) {
        Map<Integer, Long> frames = new TreeMap<>();
        for (int i = 0; i < validated; i++) {
          frames.put(validatedPgno[i], committedEnd + i * frameSize);
        }
        long start = committedEnd;
        committedEnd = at + frameSize;
        s1 = c1;
        s2 = c2;
        validated = 0;
        boolean padding = isRepeatOfLastCommit(frames, pgno, commit, page);
        lastCommitPgno = pgno;
        lastCommitSize = commit;
        lastCommitPage = page.clone();
        return new Commit(start, committedEnd - start, commit, padding ? Map.of() : frames, header, lastCommitPage,
            before);
      }
    }
    return null;
  }

  private void addValidated(int pgno, int sum1, int sum2) {
    if (validated == validatedPgno.length) {
      validatedPgno = java.util.Arrays.copyOf(validatedPgno, validated * 2);
      validatedSum1 = java.util.Arrays.copyOf(validatedSum1, validated * 2);
      validatedSum2 = java.util.Arrays.copyOf(validatedSum2, validated * 2);
    }
    validatedPgno[validated] = pgno;
    validatedSum1[validated] = sum1;
    validatedSum2[validated] = sum2;
    validated++;
  }

  private boolean isRepeatOfLastCommit(Map<Integer, Long> frames, int pgno, int commit, byte[] page) {
    return lastCommitPage != null && frames.size() == 1 && pgno == lastCommitPgno && commit == lastCommitSize
        && java.util.Arrays.equals(page, lastCommitPage);
  }

  private static boolean isPadding(Commit c) {
    return c.frames().isEmpty();
  }

  private void read(byte[] dst, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(dst);
    while (b.hasRemaining()) {
      if (wal.read(b, pos + b.position()) < 0) {
        throw new java.io.EOFException("WAL ended at " + (pos + b.position()));
      }
    }
  }
}
