package dev.litefs.bench;

import dev.litefs.core.ltx.Pos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Replication lag: a writer in this JVM commits one small row on the primary every {@code spacing}; a poller
 * thread reads the replica's {@code -pos} through one open descriptor (the mount serves it with
 * {@code direct_io}, so every read asks the engine) as fast as it can. For each TXID the lag is the time from
 * the writer's commit returning to the first poll that shows the TXID (or a later one) on the replica. Both
 * times are {@link System#nanoTime()} in this JVM.
 *
 * <p>The warm-up commits are timed too but reported apart: the engines' JVMs are still compiling their hot
 * paths then (in one traced run, 28 of the first 200 timed commits after a 200-commit warm-up took over
 * 1.5 ms, and 2-3 of every 200 from the 600th on), and the targets are for a node that has been running.
 */
final class LagBenchmark {
  /**
   * The lag of one journal mode after the warm-up and during it; {@code early} counts timed TXIDs seen before
   * the commit returned.
   */
  record Result(String journalMode, String synchronous, Latencies lag, Latencies warmupLag, int early) {}

  private final EngineNode primary;
  private final EngineNode replica;
  private final int commits;
  private final int warmup;
  private final Duration spacing;
  private final long pollPauseNanos;

  LagBenchmark(EngineNode primary, EngineNode replica, int commits, int warmup, Duration spacing,
      long pollPauseNanos) {
    this.primary = primary;
    this.replica = replica;
    this.commits = commits;
    this.warmup = warmup;
    this.spacing = spacing;
    this.pollPauseNanos = pollPauseNanos;
  }

  /** Runs the writer on a fresh database {@code lag_<mode>} in journal mode {@code mode}. */
  Result run(String mode) throws IOException, SQLException, InterruptedException {
    String db = "lag_" + mode; // not "lag-wal": the mount would take that for the WAL of "lag"
    int total = warmup + commits;
    long[] committed = new long[total];
    try (Connection c = SqliteClient.open(primary.path(db), mode, 10_000)) {
      SqliteClient.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
      String synchronous = switch ((int) SqliteClient.queryLong(c, "PRAGMA synchronous")) {
        case 0 -> "OFF";
        case 1 -> "NORMAL";
        case 2 -> "FULL";
        default -> "EXTRA";
      };
      awaitSynced(db, Duration.ofSeconds(30));
      long base = primary.pos(db).orElseThrow().txid().value();
      Poller poller = new Poller(replica.path(db + "-pos"), base, total, pollPauseNanos);
      Thread pollThread = new Thread(poller, "lag-poller");
      pollThread.start();
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
        byte[] row = new byte[100];
        long start = System.nanoTime() + spacing.toNanos();
        for (int i = 0; i < total; i++) {
          waitUntil(start + i * spacing.toNanos());
          row[i % row.length]++;
          insert.setBytes(1, row);
          insert.executeUpdate();
          committed[i] = System.nanoTime();
        }
      } finally {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (poller.next <= base + total && System.nanoTime() < deadline && pollThread.isAlive()) {
          Thread.sleep(1);
        }
        poller.stop = true;
        pollThread.join();
      }
      if (poller.failure != null) {
        throw new IOException("polling " + replica.path(db + "-pos") + " failed", poller.failure);
      }
      if (poller.next <= base + total) {
        throw new IOException("the replica did not reach TXID " + (base + total) + " of " + db + " within 30 s"
            + " (it shows " + (poller.next - 1) + ")");
      }
      Pos end = primary.pos(db).orElseThrow();
      if (end.txid().value() != base + total) {
        throw new IOException("the primary is at TXID " + end.txid().value() + " after " + total
            + " commits from TXID " + base + ": not one TXID per commit, so lags would be misattributed");
      }
      return result(mode, synchronous, committed, poller.seen);
    }
  }

  private Result result(String mode, String synchronous, long[] committed, long[] seen) {
    long[] lag = new long[commits];
    long[] warmupLag = new long[warmup];
    int early = 0;
    for (int i = 0; i < committed.length; i++) {
      long l = seen[i] - committed[i];
      if (i < warmup) {
        warmupLag[i] = l;
      } else {
        lag[i - warmup] = l;
        if (l < 0) {
          early++;
        }
      }
    }
    return new Result(mode, synchronous, new Latencies(lag), warmup == 0 ? null : new Latencies(warmupLag), early);
  }

  private void awaitSynced(String db, Duration timeout) {
    Wait.until("the replica to reach the primary's position of " + db, timeout, () -> {
      var p = primary.pos(db);
      return p.isPresent() && p.equals(replica.pos(db));
    });
  }

  /** Sleeps until shortly before {@code deadline}, then spins to it: commits start on time, not late by a tick. */
  private static void waitUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 200_000) {
      LockSupport.parkNanos(left - 150_000);
    }
    while (System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** Reads {@code -pos} in a loop and records when each TXID after {@code base} is first seen. */
  private static final class Poller implements Runnable {
    final long[] seen;
    final long base;
    final long pauseNanos;
    final Path posFile;
    volatile long next;
    volatile boolean stop;
    volatile Exception failure;

    Poller(Path posFile, long base, int total, long pauseNanos) {
      this.posFile = posFile;
      this.base = base;
      this.seen = new long[total];
      this.pauseNanos = pauseNanos;
      this.next = base + 1;
    }

    @Override
    public void run() {
      long last = base + seen.length;
      try (FileChannel ch = FileChannel.open(posFile, StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        long n = next;
        while (!stop) {
          buf.clear();
          int r = ch.read(buf, 0);
          long now = System.nanoTime();
          if (r >= 33) {
            long txid = Long.parseUnsignedLong(new String(buf.array(), 0, 16, StandardCharsets.US_ASCII), 16);
            for (; n <= txid && n <= last; n++) {
              seen[(int) (n - base - 1)] = now;
            }
            next = n;
          }
          if (pauseNanos > 0) {
            LockSupport.parkNanos(pauseNanos);
          } else {
            Thread.onSpinWait();
          }
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
  }
}
