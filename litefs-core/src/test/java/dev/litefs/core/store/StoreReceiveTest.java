package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.ltx.ChecksumMismatchException;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.PositionMismatchException;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.testing.Vectors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A replica's side of the store: receiving LiteFS's own LTX files, refusing bad ones, and retention. */
class StoreReceiveTest {
  @TempDir Path dataDir;
  Store store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  Database receiveAll(String run, String name) throws IOException {
    store = Store.open(StoreOptions.defaults(dataDir));
    Database db = store.createDatabase(name);
    for (Path f : Vectors.ltxFiles(run, name)) {
      try (InputStream in = Files.newInputStream(f)) {
        db.receive(in, f.getFileName().toString());
      }
    }
    return db;
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete.db", "wal.db", "shrink.db"})
  void receivingLiteFsFilesReproducesTheCapturedDatabaseAndPosition(String name) throws IOException {
    Database db = receiveAll("lz4", name);
    assertThat(Files.readAllBytes(db.databaseFile()))
        .isEqualTo(Files.readAllBytes(Vectors.path("ltx/lz4/" + name + "/database")));
    String posFile = Files.readString(Vectors.path("pos/" + name + "-pos.tx" + db.pos().txid().value()));
    assertThat(db.pos() + "\n").isEqualTo(posFile);

    store.close();
    store = Store.open(StoreOptions.defaults(dataDir));
    assertThat(store.database(name).orElseThrow().pos()).isEqualTo(db.pos());
  }

  @Test
  void aDroppedDatabaseHasNoFileAndTheEmptyChecksum() throws IOException {
    Database db = receiveAll("raw", "drop.db");
    assertThat(db.databaseFile()).doesNotExist();
    assertThat(db.pos().toString()).isEqualTo("0000000000000003/8000000000000000");
    store.close();
    store = Store.open(StoreOptions.defaults(dataDir));
    assertThat(store.database("drop.db").orElseThrow().pos().toString()).isEqualTo("0000000000000003/8000000000000000");
  }

  @Test
  void aFileThatDoesNotFollowThePositionIsRefusedAndNothingChanges() throws IOException {
    store = Store.open(StoreOptions.defaults(dataDir));
    Database db = store.createDatabase("delete.db");
    List<Path> files = Vectors.ltxFiles("lz4", "delete.db");
    db.receive(Files.newInputStream(files.get(0)), "tx1");
    byte[] before = Files.readAllBytes(db.databaseFile());

    assertThatThrownBy(() -> db.receive(Files.newInputStream(files.get(2)), "tx3"))
        .isInstanceOf(PositionMismatchException.class)
        .hasMessageContaining("position mismatch on db delete.db")
        .hasMessageContaining("0000000000000001/8e59b0f9c947193f")
        .hasMessageContaining("0000000000000002/9c0dc3974ae698aa");
    assertThat(db.pos().txid()).isEqualTo(Txid.of(1));
    assertThat(Files.readAllBytes(db.databaseFile())).isEqualTo(before);
    assertThat(db.ltxFiles()).containsExactly(LtxFileName.of(Txid.of(1)));
  }

  @Test
  void aCorruptedFileIsRefusedAndNothingChanges() throws IOException {
    store = Store.open(StoreOptions.defaults(dataDir));
    Database db = store.createDatabase("delete.db");
    List<Path> files = Vectors.ltxFiles("raw", "delete.db");
    db.receive(Files.newInputStream(files.get(0)), "tx1");
    byte[] before = Files.readAllBytes(db.databaseFile());
    byte[] bad = Files.readAllBytes(files.get(1));
    bad[2000] ^= 1;

    assertThatThrownBy(() -> db.receive(new ByteArrayInputStream(bad), "tx2 from primary"))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("tx2 from primary for database delete.db")
        .hasMessageContaining("file checksum mismatch: trailer has f85821c18c380867");
    byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(files.get(1)), 500);
    assertThatThrownBy(() -> db.receive(new ByteArrayInputStream(truncated), "tx2"))
        .isInstanceOf(LtxException.class)
        .hasMessageContaining("unexpected end of file");
    assertThat(Files.readAllBytes(db.databaseFile())).isEqualTo(before);
    assertThat(db.ltxFiles()).containsExactly(LtxFileName.of(Txid.of(1)));
    try (var s = Files.list(db.history().dir())) {
      assertThat(s.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void aSnapshotReplacesTheHistory() throws IOException {
    Database db = receiveAll("lz4", "wal.db");
    assertThat(db.ltxFiles()).hasSize(5);
    java.io.ByteArrayOutputStream snap = new java.io.ByteArrayOutputStream();
    db.writeSnapshot(snap);

    Path other = dataDir.resolve("other");
    try (Store s = Store.open(StoreOptions.defaults(other))) {
      Database copy = s.createDatabase("wal.db");
      copy.receive(Files.newInputStream(Vectors.ltxFiles("lz4", "wal.db").get(0)), "tx1");
      copy.receive(new ByteArrayInputStream(snap.toByteArray()), "snapshot");
      assertThat(copy.ltxFiles()).containsExactly(new LtxFileName(Txid.of(1), Txid.of(5)));
      assertThat(copy.pos()).isEqualTo(db.pos());
      assertThat(Files.readAllBytes(copy.databaseFile())).isEqualTo(Files.readAllBytes(db.databaseFile()));
    }
  }

  @Test
  void retentionDeletesFilesOlderThanThePeriodButAlwaysKeepsTheNewest() throws IOException {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    StoreOptions opts = StoreOptions.defaults(dataDir)
        .withRetention(Duration.ofMinutes(10), Duration.ZERO)
        .withClock(Clock.fixed(now, ZoneOffset.UTC));
    store = Store.open(opts);
    Database db = store.createDatabase("delete.db");
    List<Path> recorded = new ArrayList<>();
    for (Path f : Vectors.ltxFiles("raw", "delete.db")) {
      db.receive(Files.newInputStream(f), f.getFileName().toString());
      recorded.add(db.history().path(LtxFileName.of(db.pos().txid())));
    }
    age(recorded.get(0), now.minus(Duration.ofMinutes(30)));
    age(recorded.get(1), now.minus(Duration.ofMinutes(11)));
    age(recorded.get(2), now.minus(Duration.ofMinutes(9)));
    age(recorded.get(3), now.minus(Duration.ofHours(2)));

    assertThat(db.enforceRetention()).isEqualTo(2);
    assertThat(db.ltxFiles()).containsExactly(LtxFileName.of(Txid.of(3)), LtxFileName.of(Txid.of(4)));
  }

  private static void age(Path p, Instant t) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(t));
  }
}
