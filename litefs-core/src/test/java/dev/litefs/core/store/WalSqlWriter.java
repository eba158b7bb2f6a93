package dev.litefs.core.store;

import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.sqlite.WalCommitTracker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs real SQLite transactions in WAL mode (sqlite-jdbc, no automatic checkpoints) on a store's database file
 * and records each as the mount does: the commit frames found by {@link WalCommitTracker}, appended to the
 * commit log without a sync. The connection stays open, so the WAL stays, until {@link #close()}. Stands in
 * for the FUSE layer's WAL path in store tests; {@link #crashCopy} keeps what a crash would leave.
 */
final class WalSqlWriter implements AutoCloseable {
  private final Database db;
  private final Path file;
  private final Path walFile;
  private final Connection c;
  private FileChannel wal;
  private WalCommitTracker tracker;
  /** Whether commits are recorded; when false they are only followed (a record lost in a crash). */
  boolean recording = true;

  /** Switches {@code db} (which must have a history) to WAL mode, recording the switch like SqlWriter. */
  WalSqlWriter(Database db) throws IOException {
    this.db = db;
    this.file = db.databaseFile();
    this.walFile = file.resolveSibling(file.getFileName() + "-wal");
    byte[] before = Files.readAllBytes(file);
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_autocheckpoint=0");
        s.execute("PRAGMA journal_mode=WAL");
      }
    } catch (SQLException e) {
      throw new IOException(e);
    }
    byte[] after = Files.readAllBytes(file);
    int ps = SqlWriter.pageSize(after);
    List<Transaction.Page> pages = new ArrayList<>();
    for (int off = 0; off < after.length; off += ps) {
      if (off + ps > before.length || !Arrays.equals(before, off, off + ps, after, off, off + ps)) {
        pages.add(new Transaction.Page(off / ps + 1, Arrays.copyOfRange(after, off, off + ps)));
      }
    }
    db.commit(new Transaction(ps, after.length / ps, pages, System.currentTimeMillis(), null));
  }

  /** Runs one statement (autocommit: one transaction) and records what it committed. */
  void exec(String sql) throws IOException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IOException(e);
    }
    follow();
  }

  /** Checkpoints the WAL into the database and restarts it, syncing the history first as the mount does. */
  void checkpointAndRestart() throws IOException {
    db.sync();
    exec("PRAGMA wal_checkpoint(TRUNCATE)");
    tracker.truncated(0);
  }

  private void follow() throws IOException {
    if (wal == null) {
      if (!Files.exists(walFile)) {
        return;
      }
      wal = FileChannel.open(walFile, StandardOpenOption.READ);
      tracker = new WalCommitTracker(wal);
    }
    // The tracker is told of every write; here SQLite wrote on its own, so one write over the whole WAL stands
    // for them.
    tracker.afterWrite(0, 32);
    for (WalCommitTracker.Commit commit : tracker.afterWrite(32, (int) Math.max(0, wal.size() - 32))) {
      if (recording) {
        record(commit);
      }
    }
  }

  private void record(WalCommitTracker.Commit commit) throws IOException {
    int ps = commit.header().pageSize();
    List<Transaction.Page> pages = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : commit.frames().entrySet()) {
      if (e.getKey() <= commit.commitPages() && e.getKey() != PageChecksums.lockPage(ps)) {
        ByteBuffer b = ByteBuffer.allocate(ps);
        wal.read(b, e.getValue() + 24);
        pages.add(new Transaction.Page(e.getKey(), b.array()));
      }
    }
    db.record(new Transaction(ps, commit.commitPages(), pages, System.currentTimeMillis(),
        new Transaction.WalRange(commit.offset(), commit.size(), commit.header().salt1(), commit.header().salt2())),
        false);
  }

  /** Copies the database and WAL files as they are now into {@code dir}: what a crash would leave. */
  void crashCopy(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(file, dir.resolve("database"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(walFile, dir.resolve("wal"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Puts files copied by {@link #crashCopy} back in place of {@code db}'s (after the store is closed). */
  static void restore(Path dir, Database db) throws IOException {
    Files.copy(dir.resolve("database"), db.databaseFile(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(dir.resolve("wal"), db.walFile(), StandardCopyOption.REPLACE_EXISTING);
    Path f = db.databaseFile();
    Files.deleteIfExists(f.resolveSibling(f.getFileName() + "-wal"));
    Files.deleteIfExists(f.resolveSibling(f.getFileName() + "-shm"));
  }

  /** Closes the connection (SQLite checkpoints and deletes its WAL). */
  @Override
  public void close() throws IOException {
    try {
      if (wal != null) {
        wal.close();
      }
      c.close();
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }
}
