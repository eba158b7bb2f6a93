package dev.litefs.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that tries to insert a row through one node's mount every {@code interval}, whether that node is
 * primary or not, as an application retrying its writes would. Every attempt that fails (the node is a replica,
 * its mount is gone) closes the connection, and the next attempt opens a new one. A second connection stays
 * open all along, as an idle one in an application's pool would: without it, each failed attempt's close
 * would be the last connection's and would delete {@code -shm} in WAL mode, which races the replica's apply
 * (see docs/performance.md, "Replication"). It records when each
 * successful commit returned ({@link System#nanoTime()}) and the row's sequence number, so that the failover
 * benchmark can find the last write on the old primary, the first on the new one, and check that every
 * acknowledged row survived.
 */
final class RetryingWriter implements Runnable, AutoCloseable {
  /** A commit that returned successfully: row {@code seq} of this writer, at {@code at}. */
  record Write(long seq, long at) {}

  private final String node;
  private final Path db;
  private final String journalMode;
  private final long intervalNanos;
  private final List<Write> writes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stop;
  private volatile String lastError = "";
  private long failures;
  private Connection connection;
  private Connection idle;

  /** Starts writing rows tagged {@code node} into table {@code t} of {@code db}. */
  RetryingWriter(String node, Path db, String journalMode, long intervalNanos) {
    this.node = node;
    this.db = db;
    this.journalMode = journalMode;
    this.intervalNanos = intervalNanos;
    this.thread = new Thread(this, "writer-" + node);
    thread.start();
  }

  /** The schema the writer needs, created once on the primary. */
  static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, node TEXT, seq INTEGER)";

  @Override
  public void run() {
    long seq = 0;
    long next = System.nanoTime();
    while (!stop) {
      seq++;
      try {
        if (idle == null) {
          idle = SqliteClient.open(db, journalMode, 100, false);
        }
        if (connection == null) {
          connection = SqliteClient.open(db, journalMode, 100, false);
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO t(node, seq) VALUES (?, ?)")) {
          s.setString(1, node);
          s.setLong(2, seq);
          s.executeUpdate();
        }
        long at = System.nanoTime();
        synchronized (this) {
          writes.add(new Write(seq, at));
        }
      } catch (SQLException | RuntimeException e) {
        synchronized (this) {
          failures++;
        }
        lastError = String.valueOf(e.getMessage());
        closeConnection();
      }
      next += intervalNanos;
      long left = next - System.nanoTime();
      if (left > 0) {
        LockSupport.parkNanos(left);
      } else {
        next = System.nanoTime();
      }
    }
    closeConnection();
    close(idle);
    idle = null;
  }

  private void closeConnection() {
    close(connection);
    connection = null;
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // The mount may be gone; the descriptor is released either way.
      }
    }
  }

  /** The first successful commit that returned after {@code t}, or 0. */
  synchronized long firstWriteAfter(long t) {
    for (Write w : writes) {
      if (w.at() > t) {
        return w.at();
      }
    }
    return 0;
  }

  /** The last successful commit, or 0. */
  synchronized long lastWrite() {
    return writes.isEmpty() ? 0 : writes.get(writes.size() - 1).at();
  }

  /** How many commits succeeded. */
  synchronized int writeCount() {
    return writes.size();
  }

  /** The rows whose commit returned successfully, in order. */
  synchronized List<Write> acknowledged() {
    return List.copyOf(writes);
  }

  synchronized long failures() {
    return failures;
  }

  String lastError() {
    return lastError;
  }

  String node() {
    return node;
  }

  /** Stops writing and waits for the last attempt to end; the connection is closed. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    LockSupport.unpark(thread);
    thread.join(30_000);
  }
}
