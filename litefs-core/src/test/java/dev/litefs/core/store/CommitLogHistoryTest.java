package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history when the mount's transactions are in the commit log: streams get them from the log, standalone
 * files and log records form one chain, and snapshots and retention treat both.
 */
class CommitLogHistoryTest {
  @TempDir Path dataDir;
  Store store;
  Database db;
  WalSqlWriter wal;

  @BeforeEach
  void threeLoggedTransactions() throws IOException {
    store = Store.open(StoreOptions.defaults(dataDir));
    db = store.createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    wal = new WalSqlWriter(db);
    for (String v : List.of("a", "b", "c")) {
      wal.exec("INSERT INTO t(v) VALUES('" + v + "')");
    }
  }

  @AfterEach
  void close() throws IOException {
    wal.close();
    store.close();
  }

  List<String> under(String dir) throws IOException {
    Path p = db.history().dir().resolve(dir);
    if (!Files.isDirectory(p)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aLoggedTransactionIsServedFromTheLogWithoutACopy() throws IOException {
    assertThat(db.pos().txid()).isEqualTo(Txid.of(5));
    assertThat(db.history().files()).extracting(LtxFileName::toString)
        .containsExactly("0000000000000001-0000000000000001.ltx", "0000000000000002-0000000000000002.ltx");
    assertThat(db.ltxFiles()).hasSize(5);

    StoredLtx logged = db.storedLtx(Txid.of(4)).orElseThrow();
    assertThat(logged.file()).isNull();
    LtxFileInfo info = LtxDecoder.verify(logged.open(), "TXID 4");
    assertThat(logged.loggedInfo()).isEqualTo(info);
    assertThat(info.header().minTxid()).isEqualTo(Txid.of(4));
    assertThat(db.storedLtx(Txid.of(2)).orElseThrow().file()).isEqualTo(db.history().path(LtxFileName.of(Txid.of(2))));
    assertThat(db.storedLtx(Txid.of(6))).isEmpty();
    assertThat(under("")).doesNotContain("cache");
  }

  @Test
  void aLoggedRecordWhoseBytesChangedIsRefused() throws IOException {
    Path segment = db.history().dir().resolve("log").resolve(under("log").get(0));
    byte[] b = Files.readAllBytes(segment);
    int at = (int) Files.size(segment) / 2;
    while (b[at] == 0) {
      at--; // a byte of a record, not of the preallocated zeros after them
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(segment,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~b[at]}), at);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      for (long t = 3; t <= 5; t++) {
        db.storedLtx(Txid.of(t));
      }
    }).isInstanceOf(dev.litefs.core.ltx.LtxException.class).hasMessageContaining("CRC-32C");
  }

  @Test
  void aDurableCommitEndsTheLogSegmentAndTheChainContinues() throws IOException {
    wal.close();
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('file')");
    wal = new WalSqlWriter(db);
    wal.exec("INSERT INTO t(v) VALUES('d')");
    assertThat(under("log")).containsExactly("0000000000000003-0000000000000005.log", "0000000000000008.log");
    assertThat(db.ltxFiles()).extracting(n -> n.minTxid().value()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    wal.close();
    store.close();
    store = Store.open(StoreOptions.defaults(dataDir));
    db = store.database("app.db").orElseThrow();
    wal = new WalSqlWriter(db);
    assertThat(db.pos().txid().value()).isGreaterThanOrEqualTo(8L);
  }

  @Test
  void aReceivedSnapshotReplacesTheLogToo() throws IOException {
    wal.checkpointAndRestart(); // the snapshot is read from the database file, so the WAL goes in first
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    db.writeSnapshot(snapshot);
    Path other = dataDir.resolve("replica");
    try (Store replica = Store.open(StoreOptions.defaults(other))) {
      Database r = replica.createDatabase("app.db");
      SqlWriter.commit(r, "CREATE TABLE x(y)");
      r.record(new Transaction(4096, 1, List.of(new Transaction.Page(1, Files.readAllBytes(r.databaseFile()))),
          0, null), true);
      r.receive(new java.io.ByteArrayInputStream(snapshot.toByteArray()), "snapshot");
      assertThat(r.ltxFiles()).extracting(LtxFileName::toString).containsExactly("0000000000000001-0000000000000005.ltx");
      try (Stream<Path> s = Files.list(r.history().dir().resolve("log"))) {
        assertThat(s.count()).isZero();
      }
    }
  }

  @Test
  void retentionRemovesOldSegmentsButKeepsTheNewest() throws IOException {
    wal.close();
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('file')");
    wal = new WalSqlWriter(db);
    wal.exec("INSERT INTO t(v) VALUES('d')");
    Path sealed = db.history().dir().resolve("log").resolve("0000000000000003-0000000000000005.log");
    Files.setLastModifiedTime(sealed, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(1))));
    int deleted = db.history().deleteOlderThan(java.time.Instant.now().minus(Duration.ofMinutes(10)));
    assertThat(deleted).isEqualTo(3);
    assertThat(under("log")).containsExactly("0000000000000008.log");
    assertThat(db.storedLtx(Txid.of(8))).isPresent();
  }
}
