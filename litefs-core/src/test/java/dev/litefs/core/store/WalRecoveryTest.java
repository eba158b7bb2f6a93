package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of WAL-mode transactions whose LTX files were appended to the commit log without a sync (ADR
 * 0007): what a crash or power loss can leave of the log and the WAL, and how start-up brings every
 * committed transaction back into the history. Real SQLite writes the WAL; {@link WalSqlWriter} records it
 * as the mount does.
 */
class WalRecoveryTest {
  @TempDir Path dataDir;
  Store store;
  Database db;
  Path crash;

  @BeforeEach
  void databaseInWalMode() throws IOException {
    store = Store.open(StoreOptions.defaults(dataDir));
    db = store.createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('one')");
    crash = dataDir.resolve("crash");
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Closes the writer and store, puts the crash copy in place and reopens. */
  Database crashAndReopen(WalSqlWriter w) throws IOException {
    w.close();
    store.close();
    WalSqlWriter.restore(crash, db);
    store = Store.open(StoreOptions.defaults(dataDir));
    return store.database("app.db").orElseThrow();
  }

  static String count(Database d) throws IOException {
    return SqlWriter.query(d.databaseFile(), "SELECT count(*) FROM t");
  }

  static void assertConsistent(Database d) throws IOException {
    assertThat(SqlWriter.query(d.databaseFile(), "PRAGMA integrity_check")).isEqualTo("ok");
    assertThat(d.walFile()).doesNotExist();
    try (FileChannel ch = FileChannel.open(d.databaseFile(), StandardOpenOption.READ)) {
      assertThat(PageChecksums.database(ch, 4096, ch.size() / 4096)).isEqualTo(d.pos().postApplyChecksum());
    }
    // Every transaction up to the position can be streamed, and the files chain.
    Pos at = null;
    for (long t = 2; t <= d.pos().txid().value(); t++) {
      LtxFileInfo info;
      try (InputStream in = d.storedLtx(Txid.of(t)).orElseThrow().open()) {
        info = LtxDecoder.verify(in, "TXID " + t);
      }
      if (at != null) {
        assertThat(info.header().preApplyChecksum()).as("pre-apply checksum of TXID %d", t).isEqualTo(at.postApplyChecksum());
      }
      at = info.postApplyPos();
    }
    assertThat(at).isEqualTo(d.pos());
  }

  @Test
  void walTransactionsWhoseRecordsWereLostAreRegeneratedFromTheWal() throws IOException {
    WalSqlWriter w = new WalSqlWriter(db);
    w.exec("INSERT INTO t(v) VALUES('two')");
    w.exec("INSERT INTO t(v) VALUES('three')");
    Pos recorded = db.pos();
    w.recording = false;
    w.exec("INSERT INTO t(v) VALUES('four')");
    w.exec("INSERT INTO t(v) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<50) "
        + "SELECT hex(randomblob(200)) FROM c");
    w.crashCopy(crash);

    Database d = crashAndReopen(w);
    assertThat(d.pos().txid().value()).isEqualTo(recorded.txid().value() + 2);
    assertThat(count(d)).isEqualTo("54");
    assertConsistent(d);
  }

  @Test
  void aWalRestartedAfterTheLastRecordIsRegeneratedWhole() throws IOException {
    WalSqlWriter w = new WalSqlWriter(db);
    w.exec("INSERT INTO t(v) VALUES('two')");
    w.checkpointAndRestart();
    Pos recorded = db.pos();
    w.recording = false;
    w.exec("INSERT INTO t(v) VALUES('three')");
    w.exec("INSERT INTO t(v) VALUES('four')");
    w.crashCopy(crash);

    Database d = crashAndReopen(w);
    assertThat(d.pos().txid().value()).isEqualTo(recorded.txid().value() + 2);
    assertThat(count(d)).isEqualTo("4");
    assertConsistent(d);
  }

  @Test
  void aTornLastRecordIsCutOffAndRegeneratedFromTheWal() throws IOException {
    WalSqlWriter w = new WalSqlWriter(db);
    w.exec("INSERT INTO t(v) VALUES('two')");
    w.exec("INSERT INTO t(v) VALUES('three')");
    Pos recorded = db.pos();
    w.crashCopy(crash);
    w.close();
    store.close();
    Path segment = newestSegment();
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 7);
    }
    WalSqlWriter.restore(crash, db);
    store = Store.open(StoreOptions.defaults(dataDir));
    Database d = store.database("app.db").orElseThrow();
    assertThat(d.pos()).isEqualTo(recorded);
    assertThat(count(d)).isEqualTo("3");
    assertConsistent(d);
  }

  @Test
  void aDatabaseBehindItsLoggedTransactionsIsRolledForward() throws IOException {
    // Synchronous NORMAL: the WAL's last frames never reached the disk, the synced log records did.
    WalSqlWriter w = new WalSqlWriter(db);
    w.exec("INSERT INTO t(v) VALUES('two')");
    w.crashCopy(crash);
    long walAfterTwo = Files.size(crash.resolve("wal"));
    w.exec("INSERT INTO t(v) VALUES('three')");
    w.exec("INSERT INTO t(v) VALUES('four')");
    Pos recorded = db.pos();
    w.crashCopy(crash);
    try (FileChannel ch = FileChannel.open(crash.resolve("wal"), StandardOpenOption.WRITE)) {
      ch.truncate(walAfterTwo);
    }

    Database d = crashAndReopen(w);
    assertThat(d.pos()).isEqualTo(recorded);
    assertThat(count(d)).isEqualTo("4");
    assertConsistent(d);
  }

  @Test
  void aWalOfAnOlderGenerationIsSetAsideNotReplayed() throws IOException {
    WalSqlWriter w = new WalSqlWriter(db);
    w.exec("INSERT INTO t(v) VALUES('two')");
    w.crashCopy(crash);
    Path staleWal = dataDir.resolve("stale-wal");
    Files.copy(crash.resolve("wal"), staleWal);
    w.checkpointAndRestart();
    w.exec("DELETE FROM t WHERE v = 'one'");
    w.exec("INSERT INTO t(v) VALUES('three')");
    Pos recorded = db.pos();
    w.close();
    store.close();
    // The last generation was checkpointed; an older WAL turns up (a restart whose header never reached
    // the disk): its transactions are all recorded, and replaying them would undo later ones.
    Files.copy(staleWal, db.walFile());
    store = Store.open(StoreOptions.defaults(dataDir));
    Database d = store.database("app.db").orElseThrow();
    assertThat(d.pos()).isEqualTo(recorded);
    assertThat(db.walFile().resolveSibling("wal.removed")).exists();
    assertThat(SqlWriter.query(d.databaseFile(), "SELECT group_concat(v) FROM t")).isEqualTo("two,three");
    assertConsistent(d);
  }

  @Test
  void recordedTransactionsAreSyncedWhenTheStoreCloses() throws IOException {
    WalSqlWriter w = new WalSqlWriter(db);
    w.exec("INSERT INTO t(v) VALUES('two')");
    w.exec("INSERT INTO t(v) VALUES('three')");
    assertThat(db.hasUnsyncedTransactions()).isTrue();
    Pos recorded = db.pos();
    w.close();
    store.close();
    store = Store.open(StoreOptions.defaults(dataDir));
    Database d = store.database("app.db").orElseThrow();
    assertThat(d.hasUnsyncedTransactions()).isFalse();
    assertThat(d.pos()).isEqualTo(recorded);
    assertThat(d.ltxFiles()).hasSize((int) recorded.txid().value());
  }

  private Path newestSegment() throws IOException {
    try (Stream<Path> s = Files.list(db.history().dir().resolve("log"))) {
      List<Path> l = s.sorted().toList();
      return l.get(l.size() - 1);
    }
  }
}
