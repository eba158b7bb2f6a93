package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.cli.LiteFsCommand;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real nodes on loopback with a static lease (LiteFS's mount_test.go multi-node scenarios, reference
 * §8.5): what the primary commits reaches the replica's already-open connections, in every journal mode.
 */
class MultiNodeIT {
  static final Duration SYNC = Duration.ofSeconds(30);

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

  static Pos pos(MountedNode n, String db) throws IOException {
    return Pos.parse(Files.readString(n.path(db + "-pos")).trim());
  }

  void awaitSynced(String db) {
    Await.until("replica at the primary's position of " + db, SYNC,
        () -> Files.exists(replica.path(db)) && pos(replica, db).equals(pos(primary, db)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void aWriteOnThePrimaryIsSeenByAConnectionOpenedBeforeIt(String mode) throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO t(v) VALUES (100)");
    }
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    awaitSynced("db");
    try (Connection r = Sqlite.connect(replica.path("db"), mode); Connection p = Sqlite.connect(primary.path("db"), mode)) {
      assertThat(Sqlite.query(r, "SELECT max(v) FROM t")).isEqualTo("100");
      Sqlite.exec(p, "INSERT INTO t(v) VALUES (200)");
      awaitSynced("db");
      assertThat(Sqlite.query(r, "SELECT max(v) FROM t")).isEqualTo("200");
      Sqlite.exec(p, "BEGIN", "INSERT INTO t(v) SELECT v + 1000 FROM t", "COMMIT");
      awaitSynced("db");
      assertThat(Sqlite.query(r, "SELECT count(*), sum(v) FROM t")).isEqualTo("4");
      assertThat(Sqlite.query(r, "PRAGMA integrity_check")).isEqualTo("ok");
    }
    assertThat(Files.readString(replica.path(".primary"))).isEqualTo("node1\n");
    assertThat(primary.path(".primary")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "wal"})
  void writesOnTheReplicaFailWithSqlitesReadOnlyErrors(String mode) throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(v)");
    }
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    awaitSynced("db");
    Sqlite.Result r = Sqlite.cli(replica.path("db").toString(), "INSERT INTO t VALUES (1)");
    assertThat(r.err()).contains(mode.equals("wal") ? "disk I/O error" : "attempt to write a readonly database");
    assertThat(pos(replica, "db")).isEqualTo(pos(primary, "db"));
  }

  @Test
  void aReplicaThatRejoinsCatchesUpAndALateOneGetsASnapshot() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), "delete")) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "INSERT INTO t VALUES (1)");
    }
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    awaitSynced("db");
    replica.stop();
    try (Connection c = Sqlite.connect(primary.path("db"), "delete")) {
      Sqlite.exec(c, "INSERT INTO t VALUES (2)", "INSERT INTO t VALUES (3)");
    }
    replica.restart();
    awaitSynced("db");
    assertThat(Sqlite.cli(replica.path("db").toString(), "SELECT sum(v) FROM t").out().trim()).isEqualTo("6");

    try (MountedNode late = MountedNode.replicaOf(tmp.resolve("late"), primary)) {
      Await.until("late replica synced", SYNC, () -> Files.exists(late.path("db")) && pos(late, "db").equals(pos(primary, "db")));
      try (var files = Files.list(late.data().resolve("dbs/db/ltx"))) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .containsExactly(String.format("0000000000000001-%016x.ltx", pos(primary, "db").txid().value()));
      }
    }
  }

  /**
   * A snapshot too large for memory, to a replica without a database file: its pages go into a new file as it
   * is received, linked in as the database once verified (ADR 0011). Clients then open it through the mount.
   */
  @Test
  void aNewReplicaBuildsItsDatabaseFileFromALargeSnapshotAndClientsOpenIt() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), "wal")) {
      Sqlite.exec(c, "CREATE TABLE t(b BLOB)",
          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400) INSERT INTO t SELECT randomblob(20000) FROM c");
    }
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    awaitSynced("db");
    assertThat(Files.size(replica.data().resolve("dbs/db/database"))).isGreaterThan(6L << 20);
    assertThat(Sqlite.cli(replica.path("db").toString(), "PRAGMA integrity_check; SELECT count(*) FROM t").out())
        .isEqualTo("ok\n400\n");
    try (var files = Files.list(replica.data().resolve("dbs/db/ltx"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
    }
    try (Connection c = Sqlite.connect(primary.path("db"), "wal"); Connection r = Sqlite.connect(replica.path("db"), "wal")) {
      Sqlite.exec(c, "INSERT INTO t VALUES (x'01')");
      awaitSynced("db");
      assertThat(Sqlite.query(r, "SELECT count(*) FROM t")).isEqualTo("401");
    }
  }

  /**
   * A replica's applies are not synced (ADR 0010). Killed, it comes back at its last transaction; if a power
   * loss had also taken one of its page writes, it rebuilds the database from its history rather than
   * refusing to start, then catches up.
   */
  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void aKilledReplicaThatLostAnUnsyncedPageWriteRepairsItselfAndCatchesUp(String mode) throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "CREATE TABLE u(v)", "INSERT INTO u VALUES (7)");
    }
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    awaitSynced("db");
    try (Connection c = Sqlite.connect(primary.path("db"), mode)) {
      Sqlite.exec(c, "INSERT INTO u VALUES (8)", "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)");
    }
    awaitSynced("db");
    replica.kill();
    Path dbDir = replica.data().resolve("dbs/db");
    assertThat(dbDir.resolve("unsynced")).as("applies since the last sync").exists();
    // Page 3 is u's root: the last transactions (into t) did not write it, so re-applying them cannot repair it.
    try (var ch = java.nio.channels.FileChannel.open(dbDir.resolve("database"), java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[4096]), 2L * 4096);
    }
    try (Connection c = Sqlite.connect(primary.path("db"), mode)) {
      Sqlite.exec(c, "INSERT INTO t VALUES (3)");
    }
    replica.restart();
    awaitSynced("db");
    assertThat(Sqlite.cli(replica.path("db").toString(), "SELECT (SELECT sum(v) FROM t), (SELECT sum(v) FROM u)")
        .out().trim()).isEqualTo("6|15");
    assertThat(Sqlite.cli(replica.path("db").toString(), "PRAGMA integrity_check").out().trim()).isEqualTo("ok");
    assertThat(replica.log()).contains("does not agree with its history", "rebuilt from its history");
  }

  /**
   * The replica's stream keeps its descriptors of the database and {@code -shm} between applies; a WAL
   * connection that closes as the last one deletes {@code -shm}, and the next apply must tell connections
   * through the new one, or an open connection would go on reading its cached pages.
   */
  @Test
  void aWalReplicaConnectionOpenedAfterTheLastOneClosedSeesTheNextTransaction() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    try (Connection p = Sqlite.connect(primary.path("db"), "wal")) {
      Sqlite.exec(p, "CREATE TABLE t(v)", "INSERT INTO t VALUES (0)");
      awaitSynced("db");
      for (int i = 1; i <= 10; i++) {
        try (Connection last = Sqlite.connect(replica.path("db"), "wal")) {
          assertThat(Sqlite.query(last, "SELECT max(v) FROM t")).isEqualTo(String.valueOf(i - 1));
        }
        assertThat(replica.data().resolve("dbs/db/shm")).as("deleted by the last connection").doesNotExist();
        try (Connection r = Sqlite.connect(replica.path("db"), "wal")) {
          assertThat(Sqlite.query(r, "SELECT max(v) FROM t")).isEqualTo(String.valueOf(i - 1));
          Sqlite.exec(p, "INSERT INTO t VALUES (" + i + ")");
          awaitSynced("db");
          assertThat(Sqlite.query(r, "SELECT max(v) FROM t")).as("through the new -shm").isEqualTo(String.valueOf(i));
        }
      }
    }
    assertThat(replica.log()).doesNotContain("replication from primary");
  }

  @Test
  void aDivergedReplicaIsResnapshottedToThePrimarysState() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    try (Connection c = Sqlite.connect(primary.path("db"), "delete")) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "INSERT INTO t VALUES (1)");
    }
    Path dir = tmp.resolve("r");
    replica = MountedNode.replicaOf(dir, primary);
    awaitSynced("db");
    replica.close();
    replica = null;
    // The old replica runs as a primary for a while: its history diverges from the same TXID on.
    try (MountedNode rogue = MountedNode.start(dir, "lease:\n  type: static\n  candidate: true\n")) {
      assertThat(Sqlite.cli(rogue.path("db").toString(), "INSERT INTO t VALUES (999)").code()).isZero();
    }
    try (Connection c = Sqlite.connect(primary.path("db"), "delete")) {
      Sqlite.exec(c, "INSERT INTO t VALUES (2)");
    }
    replica = MountedNode.replicaOf(dir, primary);
    awaitSynced("db");
    assertThat(Sqlite.cli(replica.path("db").toString(), "SELECT group_concat(v) FROM t").out().trim()).isEqualTo("1,2");
    assertThat(replica.log()).contains("connected to primary");
  }

  @Test
  void importAndExportRoundTripThroughTheCommandLine() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    Path source = tmp.resolve("source.db");
    Sqlite.cli(source.toString(), "CREATE TABLE t(v); INSERT INTO t VALUES ('imported');");
    assertThat(LiteFsCommand.run("import", "-name", "imp.db", "-url", primary.url(), source.toString())).isZero();
    Await.until("the import replicated", SYNC, () -> Files.exists(replica.path("imp.db")) && pos(replica, "imp.db").equals(pos(primary, "imp.db")));
    Path copy = tmp.resolve("copy.db");
    assertThat(LiteFsCommand.run("export", "-name", "imp.db", "-url", replica.url(), copy.toString())).isZero();
    assertThat(Sqlite.cli(copy.toString(), "SELECT v FROM t").out()).isEqualTo("imported\n");
    assertThat(Sqlite.cli(replica.path("imp.db").toString(), "PRAGMA integrity_check; SELECT v FROM t").out())
        .isEqualTo("ok\nimported\n");
    assertThat(LiteFsCommand.run("import", "-name", "imp.db", "-url", replica.url(), source.toString()))
        .as("the replica refuses imports").isEqualTo(1);
  }

  @Test
  void theEventStreamShowsTheRoleThenEachTransaction() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    Await.until("the replica connected to its primary", SYNC, () -> Files.exists(replica.path(".primary")));
    var client = java.net.http.HttpClient.newHttpClient();
    var lines = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(replica.url() + "/events")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofLines()).body().iterator();
    assertThat(lines.next()).isEqualTo("{\"type\":\"init\",\"data\":{\"isPrimary\":false,\"hostname\":\"node1\"}}");
    Sqlite.cli(primary.path("ev.db").toString(), "CREATE TABLE t(v)");
    String tx = lines.next();
    assertThat(tx).startsWith("{\"type\":\"tx\",\"db\":\"ev.db\",\"data\":{\"txID\":\"0000000000000001\"");
    assertThat(List.of(tx)).allMatch(l -> l.contains("\"pageSize\":4096"));
  }
}
