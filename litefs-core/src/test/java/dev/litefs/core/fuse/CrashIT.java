package dev.litefs.core.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.CommitLogs;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety: the daemon killed with SIGKILL in the middle of a write storm, then remounted; and a client
 * killed mid-transaction. Nothing a client saw committed is lost, and nothing it did not commit is recorded.
 */
class CrashIT {
  @TempDir Path tmp;
  MountedNode node;

  @BeforeEach
  void mount() throws IOException {
    node = MountedNode.primary(tmp.resolve("node"));
  }

  @AfterEach
  void unmount() throws IOException {
    node.close();
  }

  Pos pos() throws IOException {
    return Pos.parse(Files.readString(node.path("db-pos")).trim());
  }

  @org.junit.jupiter.api.Test
  void aMountLeftByAKilledDaemonIsClearedAtTheNextStartThoughTheKernelCachedItsRoot() throws Exception {
    Sqlite.cli(node.path("db").toString(), "CREATE TABLE t(v); INSERT INTO t VALUES (7);");
    Files.readAttributes(node.mount(), "basic:isDirectory"); // cached for the mount's long attribute timeout
    node.kill();
    assertThat(Files.isDirectory(node.mount())).as("the dead mount's root, answered from the cache").isTrue();
    node.restart();
    assertThat(Sqlite.cli(node.path("db").toString(), "SELECT v FROM t").out().trim()).isEqualTo("7");
  }

  static final String WRITER = "import sqlite3,sys\n"
      + "c=sqlite3.connect(sys.argv[1], timeout=5, isolation_level=None)\n"
      + "c.execute('PRAGMA journal_mode='+sys.argv[2])\n"
      + "c.execute('PRAGMA synchronous='+sys.argv[3])\n"
      + "c.execute('PRAGMA wal_autocheckpoint='+sys.argv[4])\n"
      + "i=0\n"
      + "while True:\n"
      + "  i+=1\n"
      + "  c.execute('INSERT INTO t(id, v) VALUES (?, hex(randomblob(300)))', (i,))\n"
      + "  print(i, flush=True)\n";

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void killingTheDaemonMidStormLosesNoAcknowledgedCommit(String mode) throws Exception {
    int last = killMidStorm(mode, "FULL", 1000);
    node.restart();
    assertAcknowledgedCommitsRecorded(mode, last);
  }

  /**
   * WAL mode appends LTX files to the commit log without a sync and syncs it only before the WAL restarts
   * or is checkpointed over (ADR 0009). A power loss can then take every record of the current WAL
   * generation; here they are cut off after the kill, and start-up must regenerate them from the WAL.
   */
  @ParameterizedTest
  @ValueSource(strings = {"FULL", "NORMAL"})
  void walCommitsWhoseLogRecordsAPowerLossTookAreRegeneratedFromTheWal(String synchronous) throws Exception {
    // No checkpoint during the storm, so one WAL generation holds all of it.
    int last = killMidStorm("wal", synchronous, 0);
    int[] salts = CommitLogs.walSalts(node.data().resolve("dbs/db/wal"));
    int cut = CommitLogs.cutBeforeWalGeneration(node.data(), "db", salts[0], salts[1]);
    assertThat(cut).as("records of the storm's WAL generation").isGreaterThanOrEqualTo(200);

    node.restart();
    assertThat(node.log()).contains("WAL transactions that had no LTX file");
    assertAcknowledgedCommitsRecorded("wal", last);
  }

  /**
   * Creates the table, runs a writer that prints each committed id, kills the daemon with SIGKILL once 200
   * commits were acknowledged, and returns the last acknowledged id.
   */
  private int killMidStorm(String mode, String synchronous, int walAutocheckpoint) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    }
    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    Process w = Sqlite.startPython(WRITER, node.path("db").toString(), mode, synchronous,
        Integer.toString(walAutocheckpoint));
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(w.getInputStream()))) {
        for (String line; (line = r.readLine()) != null; ) {
          acknowledged.add(Integer.parseInt(line.trim()));
        }
      } catch (IOException | NumberFormatException e) {
        // the stream ends when the writer dies with the mount
      }
    });
    reader.start();
    Await.until("200 acknowledged commits", Duration.ofSeconds(60), () -> acknowledged.size() >= 200);
    node.kill();
    reader.join(30_000);
    w.destroyForcibly().waitFor();
    return acknowledged.get(acknowledged.size() - 1);
  }

  private void assertAcknowledgedCommitsRecorded(String mode, int last) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      assertThat(Sqlite.query(c, "PRAGMA integrity_check")).isEqualTo("ok");
      long present = Long.parseLong(Sqlite.query(c, "SELECT count(*) FROM t WHERE id <= " + last));
      assertThat(present).as("rows acknowledged before the kill").isEqualTo(last);
      long total = Long.parseLong(Sqlite.query(c, "SELECT count(*) FROM t"));
      // One more row may have committed after its acknowledgment was printed but before the kill.
      assertThat(total).isBetween((long) last, (long) last + 1);
      assertThat(pos().txid().value()).isEqualTo(total + 1 + (mode.equals("wal") ? 1 : 0));
      if (mode.equals("wal")) {
        Sqlite.query(c, "PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
    assertThat(checksum()).isEqualTo(pos().postApplyChecksum());
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void aClientKilledMidTransactionLeavesNoTransaction(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('kept')");
    }
    Pos before = pos();
    Process client = Sqlite.startPython("import sqlite3,sys,time\n"
        + "c=sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        + "c.execute('PRAGMA journal_mode='+sys.argv[2])\n"
        + "c.execute('PRAGMA cache_size=2')\n"
        + "c.execute('BEGIN')\n"
        + "for i in range(300): c.execute('INSERT INTO t(v) VALUES (hex(randomblob(300)))')\n"
        + "print('spilled', flush=True)\n"
        + "time.sleep(600)\n", node.path("db").toString(), mode);
    BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream()));
    assertThat(out.readLine()).isEqualTo("spilled");
    client.destroyForcibly().waitFor();

    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      assertThat(Sqlite.query(c, "SELECT count(*) FROM t")).isEqualTo("1");
      assertThat(Sqlite.query(c, "PRAGMA integrity_check")).isEqualTo("ok");
    }
    assertThat(pos()).isEqualTo(before);
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "INSERT INTO t(v) VALUES ('after')");
      if (mode.equals("wal")) {
        Sqlite.query(c, "PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
    assertThat(pos().txid().value()).isEqualTo(before.txid().value() + 1);
    assertThat(checksum()).isEqualTo(pos().postApplyChecksum());
  }

  private Checksum checksum() throws IOException {
    try (FileChannel ch = FileChannel.open(node.path("db"), StandardOpenOption.READ)) {
      return PageChecksums.database(ch, 4096, ch.size() / 4096);
    }
  }
}
