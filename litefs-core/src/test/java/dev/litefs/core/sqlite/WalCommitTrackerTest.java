package dev.litefs.core.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit detection from WAL writes alone, fed write by write in the order SQLite issues them: appends,
 * a spilled frame overwritten in place with its checksums rewritten after the commit frame, restarts,
 * padding, torn frames, and the writes of a real SQLite WAL.
 */
class WalCommitTrackerTest {
  static final int PS = 1024;

  @TempDir Path tmp;
  FileChannel ch;
  WalCommitTracker tracker;
  List<WalCommitTracker.Commit> seen = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    ch = FileChannel.open(tmp.resolve("wal"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    tracker = new WalCommitTracker(ch);
  }

  @AfterEach
  void close() throws IOException {
    ch.close();
  }

  /** Writes like SQLite and returns the commits the tracker reported for this write. */
  List<WalCommitTracker.Commit> write(long off, byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      ch.write(buf, off + buf.position());
    }
    List<WalCommitTracker.Commit> c = tracker.afterWrite(off, b.length);
    seen.addAll(c);
    return c;
  }

  /** Emulates SQLite's WAL writer (wal.c): native little-endian checksums, frames as header then page. */
  final class Sim {
    int salt1;
    int salt2 = 0x1234567;
    int[] sum;
    int frames;

    void header() throws IOException {
      salt1++;
      ByteBuffer h = ByteBuffer.allocate(32);
      h.putInt(0x377f0682).putInt(3007000).putInt(PS).putInt(0).putInt(salt1).putInt(salt2);
      sum = WalReader.checksum(false, 0, 0, h.array(), 0, 24);
      h.putInt(sum[0]).putInt(sum[1]);
      frames = 0;
      write(0, h.array());
    }

    long offset(int frame) {
      return 32 + (long) frame * (24 + PS);
    }

    byte[] frameHeader(int pgno, int commit, byte[] page, int[] from) {
      ByteBuffer h = ByteBuffer.allocate(24);
      h.putInt(pgno).putInt(commit).putInt(salt1).putInt(salt2);
      int[] s = WalReader.checksum(false, from[0], from[1], h.array(), 0, 8);
      s = WalReader.checksum(false, s[0], s[1], page, 0, PS);
      h.putInt(s[0]).putInt(s[1]);
      return h.array();
    }

    /** Appends a frame; returns the commits seen on the page write. */
    List<WalCommitTracker.Commit> frame(int pgno, int commit, byte[] page) throws IOException {
      byte[] h = frameHeader(pgno, commit, page, sum);
      sum = new int[] {ByteBuffer.wrap(h).getInt(16), ByteBuffer.wrap(h).getInt(20)};
      long off = offset(frames++);
      assertThat(write(off, h)).as("no commit on a frame header write").isEmpty();
      return write(off + 24, page);
    }
  }

  static byte[] page(int v) {
    byte[] p = new byte[PS];
    Arrays.fill(p, (byte) v);
    return p;
  }

  @Test
  void aCommitIsSeenWhenTheCommitFramesPageIsWritten() throws IOException {
    Sim s = new Sim();
    s.header();
    assertThat(s.frame(1, 0, page(1))).isEmpty();
    assertThat(s.frame(2, 0, page(2))).isEmpty();
    List<WalCommitTracker.Commit> c = s.frame(3, 3, page(3));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).offset()).isEqualTo(32);
    assertThat(c.get(0).size()).isEqualTo(3L * (24 + PS));
    assertThat(c.get(0).commitPages()).isEqualTo(3);
    assertThat(c.get(0).frames()).containsOnlyKeys(1, 2, 3);

    List<WalCommitTracker.Commit> next = s.frame(2, 3, page(22));
    assertThat(next).hasSize(1);
    assertThat(next.get(0).offset()).isEqualTo(32 + 3L * (24 + PS));
    assertThat(next.get(0).frames()).containsOnlyKeys(2);
  }

  @Test
  void theLastFrameOfAPageWins() throws IOException {
    Sim s = new Sim();
    s.header();
    s.frame(1, 0, page(1));
    s.frame(1, 0, page(11));
    List<WalCommitTracker.Commit> c = s.frame(2, 2, page(2));
    assertThat(c.get(0).frames().get(1)).isEqualTo(s.offset(1));
  }

  @Test
  void aSpilledFrameOverwrittenInPlaceCommitsOnlyAfterTheChecksumsAreRewritten() throws IOException {
    Sim s = new Sim();
    s.header();
    int[] start = s.sum;
    s.frame(1, 0, page(1));
    s.frame(2, 0, page(2));
    s.frame(3, 0, page(3));
    // Page 2 changed again: SQLite overwrites its frame's page in place, header untouched.
    assertThat(write(s.offset(1) + 24, page(42))).isEmpty();
    // The commit frame carries a checksum chained from the stale running sum.
    assertThat(s.frame(4, 4, page(4))).isEmpty();
    // walRewriteChecksums: rewrite the headers of frames 2..4 with the right chain.
    int[] sum = start;
    byte[][] pages = {page(1), page(42), page(3), page(4)};
    int[] pgnos = {1, 2, 3, 4};
    List<WalCommitTracker.Commit> commits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] h = s.frameHeader(pgnos[i], i == 3 ? 4 : 0, pages[i], sum);
      sum = new int[] {ByteBuffer.wrap(h).getInt(16), ByteBuffer.wrap(h).getInt(20)};
      if (i >= 1) {
        commits.addAll(write(s.offset(i), h));
        if (i < 3) {
          assertThat(commits).as("not committed before the commit frame's header is rewritten").isEmpty();
        }
      }
    }
    assertThat(commits).hasSize(1);
    assertThat(commits.get(0).frames()).containsOnlyKeys(1, 2, 3, 4);
  }

  @Test
  void aRestartWithNewSaltsStartsAgainAtTheFirstFrame() throws IOException {
    Sim s = new Sim();
    s.header();
    s.frame(1, 0, page(1));
    s.frame(2, 2, page(2));
    s.frame(2, 2, page(3));
    s.header();
    assertThat(tracker.committedEnd()).isEqualTo(32);
    // Old frames with old salts after the new header are not a transaction.
    assertThat(tracker.afterWrite(s.offset(2), 24)).isEmpty();
    List<WalCommitTracker.Commit> c = s.frame(1, 2, page(9));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).header().salt1()).isEqualTo(s.salt1);
    assertThat(c.get(0).offset()).isEqualTo(32);
  }

  @Test
  void paddingCopiesOfTheCommitFrameAreNotTransactions() throws IOException {
    Sim s = new Sim();
    s.header();
    s.frame(1, 0, page(1));
    assertThat(s.frame(2, 2, page(2))).hasSize(1);
    assertThat(s.frame(2, 2, page(2))).isEmpty();
    assertThat(s.frame(2, 2, page(2))).isEmpty();
    assertThat(tracker.committedEnd()).isEqualTo(s.offset(4));
    assertThat(s.frame(1, 2, page(7))).hasSize(1);
  }

  @Test
  void aTornCommitFrameIsNotACommit() throws IOException {
    Sim s = new Sim();
    s.header();
    byte[] p = page(5);
    byte[] h = s.frameHeader(1, 1, p, s.sum);
    write(s.offset(0), h);
    assertThat(write(s.offset(0) + 24, Arrays.copyOf(p, PS / 2))).isEmpty();
    assertThat(write(s.offset(0) + 24 + PS / 2, Arrays.copyOfRange(p, PS / 2, PS))).hasSize(1);
  }

  @Test
  void truncatingToZeroForgetsTheHeader() throws IOException {
    Sim s = new Sim();
    s.header();
    s.frame(1, 1, page(1));
    ch.truncate(0);
    tracker.truncated(0);
    assertThat(tracker.header()).isNull();
    assertThat(tracker.committedEnd()).isZero();
    s.header();
    assertThat(s.frame(1, 1, page(2))).hasSize(1);
  }

  @Test
  void theWritesOfARealSqliteWalYieldItsTransactions() throws Exception {
    Path db = tmp.resolve("real.db");
    int txns = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("PRAGMA page_size=1024");
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA wal_autocheckpoint=0");
      st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
      txns++;
      for (int i = 0; i < 5; i++) {
        st.execute("INSERT INTO t(v) VALUES (hex(randomblob(" + (200 * (i + 1)) + ")))");
        txns++;
      }
      st.execute("PRAGMA cache_size=2");
      c.setAutoCommit(false);
      st.execute("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i<200) "
          + "INSERT INTO t(v) SELECT hex(randomblob(300)) FROM r");
      st.execute("UPDATE t SET v = 'changed' WHERE id = 1");
      c.commit();
      txns++;
      byte[] walBytes = Files.readAllBytes(tmp.resolve("real.db-wal"));
      replayAsSqliteWrites(walBytes);
    }
    assertThat(seen).hasSize(txns);
    long end = 32;
    for (WalCommitTracker.Commit cm : seen) {
      assertThat(cm.offset()).isEqualTo(end);
      end += cm.size();
    }
  }

  /** Feeds a finished WAL in SQLite's write pattern: the header, then each frame's header and page. */
  private void replayAsSqliteWrites(byte[] wal) throws IOException {
    int ps = ByteBuffer.wrap(wal).getInt(8);
    write(0, Arrays.copyOf(wal, 32));
    for (int off = 32; off + 24 + ps <= wal.length; off += 24 + ps) {
      write(off, Arrays.copyOfRange(wal, off, off + 24));
      write(off + 24, Arrays.copyOfRange(wal, off + 24, off + 24 + ps));
    }
  }
}
