package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAL-mode replica whose only client connection opens and closes over and over while the primary commits:
 * each close is the last connection's, so SQLite deletes {@code -wal} and {@code -shm} through the mount at
 * the moment the replica's stream applies a transaction through the same mount.
 */
class ReplicaClientChurnIT {
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

  static Pos pos(MountedNode n) throws IOException {
    return Pos.parse(Files.readString(n.path("db-pos")).trim());
  }

  /**
   * The deletion of {@code -wal} is served while the kernel holds the directory's lock; the apply, holding the
   * database's lock, opens files in that directory. A deletion that waited for the database's lock (to sync the
   * history) hung both for good: the replica stopped applying and could not even be stopped.
   */
  @Test
  void theReplicaKeepsApplyingWhileItsOnlyConnectionComesAndGoes() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), "wal")) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    }
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    Await.until("replica has the table", Duration.ofSeconds(30),
        () -> Files.exists(replica.path("db")) && pos(replica).equals(pos(primary)));

    AtomicLong cycles = new AtomicLong();
    AtomicReference<Throwable> churnFailure = new AtomicReference<>();
    Thread churn = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try (Connection r = Sqlite.connect(replica.path("db"), "wal")) {
          Sqlite.query(r, "SELECT count(*) FROM t");
          cycles.incrementAndGet();
        } catch (SQLException e) {
          // SQLITE_BUSY while the apply holds the locks is what a reader can meet; anything else is a failure.
          if (!String.valueOf(e.getMessage()).contains("SQLITE_BUSY")) {
            churnFailure.compareAndSet(null, e);
            return;
          }
        }
      }
    }, "churn");
    churn.start();
    try (Connection p = Sqlite.connect(primary.path("db"), "wal")) {
      for (int i = 0; i < 400; i++) {
        Sqlite.exec(p, "INSERT INTO t(v) VALUES ('row " + i + "')");
      }
      Await.until("replica at the primary's position while its client churns", Duration.ofSeconds(60),
          () -> pos(replica).equals(pos(primary)));
    } finally {
      churn.interrupt();
      churn.join(30_000);
    }
    assertThat(churnFailure.get()).isNull();
    assertThat(cycles.get()).as("connections opened and closed on the replica").isGreaterThan(10);
    try (Connection r = Sqlite.connect(replica.path("db"), "wal")) {
      assertThat(Sqlite.query(r, "SELECT count(*) FROM t")).isEqualTo("400");
      assertThat(Sqlite.query(r, "PRAGMA integrity_check")).isEqualTo("ok");
    }
  }
}
