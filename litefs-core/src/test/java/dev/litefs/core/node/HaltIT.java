package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.cli.LiteFsCommand;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HALT write forwarding (LiteFS's mount_test.go {@code MultiNode_Halt}): a command run on a replica with
 * {@code litefs run -with-halt-lock-on} writes there, each transaction forwarded to the primary; both end
 * equal, and the primary writes again once the command is done.
 */
class HaltIT {
  static final Duration SYNC = Duration.ofSeconds(30);
  @TempDir Path tmp;
  MountedNode primary;
  MountedNode replica;

  @AfterEach
  void stop() throws Exception {
    if (replica != null) {
      replica.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  String sum(MountedNode n) throws Exception {
    return Sqlite.cli(n.path("db").toString(), "PRAGMA integrity_check; SELECT sum(v) FROM t").out();
  }

  void awaitEqual() {
    Await.until("replica at the primary's position", SYNC, () -> Files.exists(replica.path("db"))
        && Files.readString(replica.path("db-pos")).equals(Files.readString(primary.path("db-pos"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "wal"})
  void aReplicaWritesUnderTheHaltLockAndBothNodesEndEqual(String mode) throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    Sqlite.cli(primary.path("db").toString(), "PRAGMA journal_mode=" + mode + "; CREATE TABLE t(v); INSERT INTO t VALUES (100);");
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    awaitEqual();

    int code = LiteFsCommand.run("run", "-url", replica.url(), "-with-halt-lock-on", replica.path("db").toString(),
        "--", "sqlite3", replica.path("db").toString(), "INSERT INTO t VALUES (200); BEGIN; INSERT INTO t VALUES (5); ROLLBACK;");
    assertThat(code).as(replica.log()).isZero();
    awaitEqual();
    assertThat(sum(primary)).isEqualTo("ok\n300\n");
    assertThat(sum(replica)).isEqualTo("ok\n300\n");

    assertThat(Sqlite.cli(primary.path("db").toString(), "INSERT INTO t VALUES (300)").code()).isZero();
    awaitEqual();
    assertThat(sum(replica)).isEqualTo("ok\n600\n");
    assertThat(Sqlite.cli(replica.path("db").toString(), "INSERT INTO t VALUES (1)").code())
        .as("without the lock the replica is read-only again").isNotZero();
  }
}
