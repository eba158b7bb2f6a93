package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAL-mode replica whose clients keep opening and closing their only connection: each close deletes
 * {@code -shm}, each open creates it again, at the same moments as the replica applies the primary's
 * transactions (performance.md, defect 2: the apply failed with ENOENT on {@code -shm} and the stream
 * restarted).
 */
class WalConnectionChurnIT {
  static final Duration SYNC = Duration.ofSeconds(60);
  static final int COMMITS = 1000;
  /** Opens a connection, reads, closes it (the last one, so SQLite deletes -shm), every 2 ms until stdin closes. */
  static final String CHURN = """
      import sqlite3, sys, threading, time
      done = threading.Event()
      threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
      opens = 0
      last = -1
      while not done.is_set():
          c = sqlite3.connect(sys.argv[1], timeout=10)
          n = c.execute("SELECT count(*) FROM t").fetchone()[0]
          c.close()
          if n < last:
              print("went back from", last, "to", n, flush=True)
          last = n
          opens += 1
          time.sleep(0.002)
      print("opens", opens, "last", last, flush=True)
      """;

  @TempDir Path tmp;
  MountedNode primary;
  MountedNode replica;

  @AfterEach
  void stop() throws IOException {
    if (replica != null) {
      replica.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  boolean caughtUp() throws IOException {
    return MultiNodeIT.pos(replica, "db").equals(MultiNodeIT.pos(primary, "db"));
  }

  @Test
  void aReplicaKeepsItsStreamWhileClientsOpenAndCloseTheLastWalConnection() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    try (Connection p = Sqlite.connect(primary.path("db"), "wal")) {
      Sqlite.exec(p, "CREATE TABLE t(v)");
      Await.until("the replica has the table", SYNC,
          () -> Files.exists(replica.path("db")) && caughtUp());
      Path churnOutput = tmp.resolve("churn.out");
      Process churn = new ProcessBuilder("python3", "-u", "-c", CHURN, replica.path("db").toString())
          .redirectErrorStream(true).redirectOutput(churnOutput.toFile()).start();
      try (PreparedStatement insert = p.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
        for (int i = 1; i <= COMMITS; i++) {
          insert.setInt(1, i);
          insert.executeUpdate();
          Thread.sleep(2); // the pace of the churn: applies and opens/closes keep meeting
        }
        Await.until("the replica at the primary's position", SYNC, this::caughtUp);
      } finally {
        churn.getOutputStream().close();
        // A client stuck in the mount stays stuck until the engine goes (after the test): do not wait for it.
        churn.waitFor(30, TimeUnit.SECONDS);
      }
      String churned = Files.readString(churnOutput);
      assertThat(churned).as("the churning client's output").startsWith("opens ").doesNotContain("went back");
      assertThat(Integer.parseInt(churned.split("\\s+")[1])).as("connections opened and closed").isGreaterThan(100);
    }
    assertThat(replica.log()).as("the stream never stopped").doesNotContain("replication from primary");
    assertThat(Sqlite.cli(replica.path("db").toString(), "SELECT count(*), sum(v) FROM t").out().trim())
        .isEqualTo(COMMITS + "|" + (COMMITS * (COMMITS + 1) / 2));
  }
}
