package dev.litefs.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoreOptions;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary's stream session and a replica's, connected by a pipe (the HTTP transport is tested
 * elsewhere): catch-up, snapshots for new, diverged, ahead and too-far-behind replicas, live commits, End
 * and Handoff.
 */
class StreamSessionTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  Store primary;
  Store replica;
  ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void open() throws IOException {
    primary = Store.open(StoreOptions.defaults(tmp.resolve("primary")).withRetention(Duration.ofMinutes(10), Duration.ZERO));
    replica = Store.open(StoreOptions.defaults(tmp.resolve("replica")).withRetention(Duration.ofMinutes(10), Duration.ZERO));
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    primary.close();
    replica.close();
  }

  /** Loads the first {@code n} captured transactions of {@code db} into a store. */
  static Database load(Store s, String db, int n) throws IOException {
    Database d = s.createDatabase(db);
    List<Path> files = Vectors.ltxFiles("raw", db);
    for (int i = d.pos().txid().value() == 0 ? 0 : (int) d.pos().txid().value(); i < n; i++) {
      d.receive(Files.newInputStream(files.get(i)), "vector");
    }
    return d;
  }

  record Running(PrimaryStream session, Future<?> primarySide, Future<ReplicaStream.Outcome> replicaSide,
      ReplicaStream stream, List<String> applied) {}

  Running connect(Set<String> filter) throws IOException {
    Map<String, Pos> positions = new TreeMap<>();
    replica.databases().forEach(d -> positions.put(d.name(), d.pos()));
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    PrimaryStream session = new PrimaryStream(primary, Clock.systemUTC(), Duration.ofMillis(100), positions, filter);
    Future<?> p = pool.submit(() -> {
      try (out; session) {
        session.run(out);
      }
      return null;
    });
    ReplicaStream rs = new ReplicaStream(replica, filter == null ? Set.of() : filter);
    List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
    Future<ReplicaStream.Outcome> r = pool.submit(() -> rs.run(in, new ReplicaStream.Listener() {
      @Override
      public void onApplied(Database db, dev.litefs.core.ltx.LtxFileInfo info) {
        applied.add(db.name() + ":" + info.header().minTxid().value() + "-" + info.header().maxTxid().value());
      }
    }));
    return new Running(session, p, r, rs, applied);
  }

  void awaitSynced(String db) {
    Await.until("replica " + db + " at the primary's position", WAIT, () ->
        replica.database(db).isPresent() && replica.database(db).get().pos().equals(primary.database(db).get().pos()));
  }

  @Test
  void aNewReplicaGetsASnapshotOfEveryDatabaseThenReady() throws Exception {
    load(primary, "delete.db", 4);
    load(primary, "wal.db", 5);
    load(primary, "drop.db", 3);
    Running r = connect(null);
    Await.until("ready", WAIT, r.stream::isReady);
    assertThat(r.applied).containsExactlyInAnyOrder("delete.db:1-4", "wal.db:1-5", "drop.db:1-3");
    for (String db : List.of("delete.db", "wal.db")) {
      assertThat(Files.readAllBytes(replica.database(db).get().databaseFile()))
          .isEqualTo(Files.readAllBytes(Vectors.path("ltx/raw/" + db + "/database")));
    }
    assertThat(replica.database("drop.db").get().pos().toString()).isEqualTo("0000000000000003/8000000000000000");
    assertThat(replica.database("wal.db").get().ltxFiles()).containsExactly(new LtxFileName(Txid.of(1), Txid.of(5)));
  }

  @Test
  void aReplicaBehindGetsTheStoredFilesThenFollowsNewCommits() throws Exception {
    load(primary, "shrink.db", 2);
    load(replica, "shrink.db", 2);
    Running r = connect(Set.of("shrink.db"));
    Await.until("ready", WAIT, r.stream::isReady);
    assertThat(r.applied).isEmpty();

    load(primary, "shrink.db", 3);
    awaitSynced("shrink.db");
    load(primary, "shrink.db", 4);
    awaitSynced("shrink.db");
    assertThat(r.applied).containsExactly("shrink.db:3-3", "shrink.db:4-4");
    assertThat(Files.readAllBytes(replica.database("shrink.db").get().databaseFile()))
        .isEqualTo(Files.readAllBytes(Vectors.path("ltx/raw/shrink.db/database")));
    // Files after the snapshot are the primary's own, byte for byte.
    try (InputStream p4 = primary.database("shrink.db").get().storedLtx(Txid.of(4)).orElseThrow().open();
        InputStream r4 = replica.database("shrink.db").get().storedLtx(Txid.of(4)).orElseThrow().open()) {
      assertThat(r4.readAllBytes()).isEqualTo(p4.readAllBytes());
    }
  }

  @Test
  void aDivergedReplicaIsResnapshotted() throws Exception {
    load(primary, "delete.db", 4);
    // The replica claims TXID 4 with another checksum: same TXID, different data.
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    Map<String, Pos> claimed = Map.of("delete.db", new Pos(Txid.of(4), Checksum.of(0x8000000000000badL)));
    PrimaryStream session = new PrimaryStream(primary, Clock.systemUTC(), Duration.ofMillis(100), claimed, null);
    pool.submit(() -> {
      try (out; session) {
        session.run(out);
      }
      return null;
    });
    StreamReader reader = new StreamReader(in);
    StreamFrame first = reader.next();
    assertThat(first).isEqualTo(new StreamFrame.Ltx("delete.db"));
    var info = dev.litefs.core.ltx.LtxDecoder.verify(reader.ltxBody(), "resnapshot");
    assertThat(info.header().isSnapshot()).isTrue();
    assertThat(info.header().maxTxid()).isEqualTo(Txid.of(4));
    session.stop();
  }

  @Test
  void aReplicaAheadOfThePrimaryIsResnapshottedToThePrimarysState() throws Exception {
    load(primary, "wal.db", 3);
    load(replica, "wal.db", 5);
    Running r = connect(null);
    Await.until("ready", WAIT, r.stream::isReady);
    assertThat(r.applied).containsExactly("wal.db:1-3");
    assertThat(replica.database("wal.db").get().pos()).isEqualTo(primary.database("wal.db").get().pos());
  }

  @Test
  void aReplicaBehindTheRetainedHistoryGetsASnapshot() throws Exception {
    load(primary, "delete.db", 4);
    load(replica, "delete.db", 1);
    Files.delete(primary.database("delete.db").get().storedLtx(Txid.of(2)).orElseThrow().file());
    Running r = connect(null);
    Await.until("ready", WAIT, r.stream::isReady);
    assertThat(r.applied).containsExactly("delete.db:1-4");
    awaitSynced("delete.db");
  }

  @Test
  void stopSendsEndAndHandoffSendsTheLease() throws Exception {
    load(primary, "delete.db", 2);
    Running r = connect(null);
    Await.until("ready", WAIT, r.stream::isReady);
    r.session.stop();
    assertThat(r.replicaSide.get(10, TimeUnit.SECONDS)).isEqualTo(new ReplicaStream.Outcome(true, null));

    Running h = connect(null);
    Await.until("ready", WAIT, h.stream::isReady);
    h.session.handoff("session-42");
    assertThat(h.replicaSide.get(10, TimeUnit.SECONDS)).isEqualTo(new ReplicaStream.Outcome(false, "session-42"));
  }

  @Test
  void heartbeatsArriveWhileIdle() throws Exception {
    load(primary, "delete.db", 1);
    Running r = connect(null);
    Await.until("ready", WAIT, r.stream::isReady);
    long first = r.stream.primaryTimestamp();
    Await.until("a later heartbeat", WAIT, () -> r.stream.primaryTimestamp() > first);
  }

  @Test
  void aFilteredReplicaGetsOnlyItsDatabases() throws Exception {
    load(primary, "delete.db", 1);
    load(primary, "wal.db", 1);
    Running r = connect(Set.of("wal.db"));
    Await.until("ready", WAIT, r.stream::isReady);
    assertThat(replica.database("delete.db")).isEmpty();
    assertThat(new ArrayList<>(r.applied)).containsExactly("wal.db:1-1");
  }
}
