package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.testing.Vectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's applies are not synced (ADR 0010): after a crash its database may disagree with its history.
 * Each test applies the five transactions of {@code wal.db} as a stream does (a snapshot of one page, then
 * pages 1-2, page 2, pages 1-6, page 2), abandons the store without closing it (what a kill leaves: every
 * write in the page cache), then takes away what a power loss can take (log records not synced, database
 * pages not synced) and opens the data directory again.
 */
class ReplicaRecoveryTest {
  private static final String DB = "wal.db";

  @TempDir Path dataDir;
  private final List<Store> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(Store::close);
  }

  @Test
  void aReplicaKilledAfterUnsyncedAppliesReopensAtItsLastTransaction() throws IOException {
    receiveAll(5);
    assertThat(marker()).exists();

    Database reopened = reopen();
    assertThat(reopened.pos().toString()).isEqualTo(expectedPos(5));
    assertThat(checksumOfFile(reopened.databaseFile())).isEqualTo(reopened.pos().postApplyChecksum());
    assertThat(marker()).as("recovery syncs and clears the marker").doesNotExist();
    assertThat(reopened.ltxFiles()).hasSize(5);
  }

  @Test
  void aLostLogRecordWhoseTransactionReachedTheDatabaseIsUndoneByTheTransactionBefore() throws IOException {
    receiveAll(5);
    cutLastLogRecord();

    Database reopened = reopen();
    assertThat(reopened.pos().toString()).isEqualTo(expectedPos(4));
    assertThat(checksumOfFile(reopened.databaseFile())).isEqualTo(reopened.pos().postApplyChecksum());
    assertThat(divergedDir()).as("nothing to set aside").isNull();
  }

  @Test
  void aDatabaseThatLostAnUnsyncedPageWriteIsRebuiltFromTheSnapshot() throws IOException {
    receiveAll(5);
    losePageWriteOfTxid4();

    Database reopened = reopen();
    assertThat(reopened.pos().toString()).isEqualTo(expectedPos(5));
    assertThat(checksumOfFile(reopened.databaseFile())).isEqualTo(reopened.pos().postApplyChecksum());
    assertThat(divergedDir().resolve("database")).as("the database as it was, kept for inspection").exists();
    assertThat(marker()).doesNotExist();
  }

  @Test
  void aTornDatabaseHeaderAfterUnsyncedAppliesIsRebuiltFromTheHistory() throws IOException {
    Database db = receiveAll(5);
    try (FileChannel ch = FileChannel.open(db.databaseFile(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(100), 0);
    }

    Database reopened = reopen();
    assertThat(reopened.pos().toString()).isEqualTo(expectedPos(5));
    assertThat(checksumOfFile(reopened.databaseFile())).isEqualTo(reopened.pos().postApplyChecksum());
  }

  @Test
  void aDisagreeingDatabaseWithoutASnapshotInItsHistoryStartsEmptyForTheNextSnapshot() throws IOException {
    Database db = receiveAll(5);
    losePageWriteOfTxid4();
    Files.delete(db.history().path(new LtxFileName(Txid.of(1), Txid.of(1)))); // as retention would

    Database reopened = reopen();
    assertThat(reopened.pos()).isEqualTo(Pos.ZERO);
    assertThat(reopened.pageCount()).isZero();
    assertThat(reopened.databaseFile()).doesNotExist();
    assertThat(reopened.ltxFiles()).isEmpty();
    assertThat(divergedDir().resolve("database")).exists();
    assertThat(divergedDir().resolve("ltx")).isDirectory();
    assertThat(marker()).doesNotExist();

    // The primary's snapshot then brings it back.
    reopened.receiveFromPrimary(Files.newInputStream(snapshotOf(5)), "snapshot");
    assertThat(reopened.pos().toString()).isEqualTo(expectedPos(5));
  }

  @Test
  void syncedAppliesLeaveNoMarkerAndADisagreementRefusesToStartAsBefore() throws IOException {
    Database db = receiveAll(5);
    db.syncReceived();
    assertThat(marker()).doesNotExist();
    losePageWriteOfTxid4();

    assertThatThrownBy(() -> Store.open(StoreOptions.defaults(dataDir)))
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining(DB);
  }

  @Test
  void aTransactionReceivedByAPrimaryIsADurableFileAndLeavesNoMarker() throws IOException {
    Store s = open();
    Database db = s.createDatabase(DB);
    for (Path f : Vectors.ltxFiles("raw", DB)) {
      db.receive(Files.newInputStream(f), f.getFileName().toString());
    }
    assertThat(marker()).doesNotExist();
    assertThat(db.history().files()).hasSize(5);
  }

  @Test
  void aSnapshotLargerThanTheMemoryLimitIsVerifiedWhileStoredThenApplied() throws IOException {
    LargeSnapshot snapshot = largeSnapshot();
    Pos primaryPos = snapshot.pos();

    Database db = receiveIntoNewReplica(snapshot);
    assertThat(db.pos()).isEqualTo(primaryPos);
    assertThat(checksumOfFile(db.databaseFile())).isEqualTo(primaryPos.postApplyChecksum());
    assertThat(db.ltxFiles()).containsExactly(new LtxFileName(Txid.of(1), primaryPos.txid()));
    try (DirectoryStream<Path> tmp = Files.newDirectoryStream(db.history().dir(), "*.tmp")) {
      assertThat(tmp).isEmpty();
    }

    byte[] damaged = snapshot.bytes().clone();
    damaged[damaged.length / 2] ^= 1;
    Database other = open().createDatabase("other.db");
    assertThatThrownBy(() -> other.receiveFromPrimary(new java.io.ByteArrayInputStream(damaged), "snapshot"))
        .isInstanceOf(dev.litefs.core.ltx.LtxException.class)
        .hasMessageContaining("other.db");
    assertThat(other.pos()).isEqualTo(Pos.ZERO);
    assertThat(other.databaseFile()).doesNotExist();
    assertThat(other.ltxFiles()).isEmpty();
  }

  @Test
  void aSnapshotFileCutShortByAPowerLossLeavesTheReplicaEmptyForTheNextSnapshot() throws IOException {
    LargeSnapshot snapshot = largeSnapshot();
    Pos primaryPos = snapshot.pos();
    Database db = receiveIntoNewReplica(snapshot);
    Path stored = db.history().path(new LtxFileName(Txid.of(1), primaryPos.txid()));
    Path bigMarker = dataDir.resolve("dbs").resolve("big.db").resolve(ReplicaSync.MARKER);
    assertThat(bigMarker).as("the snapshot's file was not synced").exists();
    // The file's name was made durable, its bytes never reached the disk.
    try (FileChannel ch = FileChannel.open(stored, StandardOpenOption.WRITE)) {
      ch.truncate(40);
    }

    Database reopened = open().database("big.db").orElseThrow();
    assertThat(reopened.pos()).isEqualTo(Pos.ZERO);
    assertThat(reopened.databaseFile()).doesNotExist();
    assertThat(reopened.ltxFiles()).isEmpty();
    assertThat(bigMarker).doesNotExist();

    reopened.receiveFromPrimary(new java.io.ByteArrayInputStream(snapshot.bytes()), "snapshot");
    assertThat(reopened.pos()).isEqualTo(primaryPos);
    assertThat(checksumOfFile(reopened.databaseFile())).isEqualTo(primaryPos.postApplyChecksum());
  }

  @Test
  void syncingWhatWasReceivedClearsTheMarkerAfterASnapshotFile() throws IOException {
    Database db = receiveIntoNewReplica(largeSnapshot());
    Path bigMarker = dataDir.resolve("dbs").resolve("big.db").resolve(ReplicaSync.MARKER);
    assertThat(bigMarker).exists();

    db.syncReceived();
    assertThat(bigMarker).doesNotExist();
    Database reopened = open().database("big.db").orElseThrow();
    assertThat(reopened.pos()).isEqualTo(db.pos());
  }

  /** Receives {@code snapshot} into database {@code big.db} of a store with no such database yet. */
  private Database receiveIntoNewReplica(LargeSnapshot snapshot) throws IOException {
    Database db = open().createDatabase("big.db");
    db.receiveFromPrimary(new java.io.ByteArrayInputStream(snapshot.bytes()), "snapshot");
    return db;
  }

  /** A snapshot's bytes and the primary's position it takes a replica to. */
  private record LargeSnapshot(byte[] bytes, Pos pos) {}

  /** A snapshot larger than {@link ReceivedLtx#MEMORY_LIMIT}, so a replica stores it as a standalone file. */
  private LargeSnapshot largeSnapshot() throws IOException {
    Path primaryDir = Files.createTempDirectory(dataDir.getParent(), "primary");
    java.io.ByteArrayOutputStream snapshot = new java.io.ByteArrayOutputStream();
    try (Store s = Store.open(StoreOptions.defaults(primaryDir))) {
      Database p = s.createDatabase("big.db");
      SqlWriter.commit(p, "CREATE TABLE t(b BLOB)");
      SqlWriter.commit(p, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500) INSERT INTO t SELECT randomblob(4000) FROM c");
      p.writeSnapshot(snapshot);
      assertThat(snapshot.size()).isGreaterThan(ReceivedLtx.MEMORY_LIMIT);
      return new LargeSnapshot(snapshot.toByteArray(), p.pos());
    }
  }

  /** Receives the first {@code n} files as a replica's stream does (the first is a snapshot). */
  private Database receiveAll(int n) throws IOException {
    Database db = open().createDatabase(DB);
    List<Path> files = Vectors.ltxFiles("raw", DB);
    for (int i = 0; i < n; i++) {
      db.receiveFromPrimary(Files.newInputStream(files.get(i)), "tx" + (i + 1));
    }
    assertThat(db.pos().toString()).isEqualTo(expectedPos(n));
    return db;
  }

  private Store open() throws IOException {
    Store s = Store.open(StoreOptions.defaults(dataDir));
    stores.add(s);
    return s;
  }

  private Database reopen() throws IOException {
    return open().database(DB).orElseThrow();
  }

  private Path marker() {
    return dataDir.resolve("dbs").resolve(DB).resolve(ReplicaSync.MARKER);
  }

  private Path divergedDir() throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dataDir.resolve("dbs").resolve(DB), "diverged-*")) {
      for (Path p : s) {
        return p;
      }
    }
    return null;
  }

  /**
   * Overwrites page 4, which only TXID 4 wrote, with bytes no transaction wrote: a database that lost one of
   * its unsynced page writes, which re-applying the last transaction (page 2) cannot repair.
   */
  private void losePageWriteOfTxid4() throws IOException {
    byte[] garbage = new byte[4096];
    java.util.Arrays.fill(garbage, (byte) 0xab);
    try (FileChannel ch = FileChannel.open(dataDir.resolve("dbs").resolve(DB).resolve("database"),
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(garbage), 3L * 4096);
    }
  }

  /** Takes away the last record of the unsealed log segment. */
  private void cutLastLogRecord() throws IOException {
    Path logDir = dataDir.resolve("dbs").resolve(DB).resolve("ltx").resolve("log");
    Path segment;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(logDir, "*.log")) {
      segment = s.iterator().next();
    }
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long off = 0;
      long lastOff = -1;
      ByteBuffer h = ByteBuffer.allocate(LtxLog.HEADER_SIZE);
      while (true) {
        h.clear();
        ch.read(h, off);
        if (h.getInt(0) != LtxLogSegment.MAGIC) {
          break;
        }
        lastOff = off;
        off += LtxLog.HEADER_SIZE + h.getInt(4);
      }
      assertThat(lastOff).as("a record in %s", segment).isGreaterThanOrEqualTo(0);
      ch.truncate(lastOff);
    }
  }

  private static String expectedPos(int txid) throws IOException {
    return Files.readString(Vectors.path("pos/" + DB + "-pos.tx" + txid)).trim();
  }

  /** A snapshot of the vectors' database at {@code txid}, written by a store that received them. */
  private Path snapshotOf(int txid) throws IOException {
    Path dir = Files.createTempDirectory(dataDir.getParent(), "primary");
    try (Store s = Store.open(StoreOptions.defaults(dir))) {
      Database p = s.createDatabase(DB);
      List<Path> files = Vectors.ltxFiles("raw", DB);
      for (int i = 0; i < txid; i++) {
        p.receive(Files.newInputStream(files.get(i)), "tx" + (i + 1));
      }
      Path out = dir.resolve("snapshot.ltx");
      try (var o = Files.newOutputStream(out)) {
        p.writeSnapshot(o);
      }
      return out;
    }
  }

  private static Checksum checksumOfFile(Path db) throws IOException {
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      return PageChecksums.database(ch, 4096, ch.size() / 4096);
    }
  }
}
