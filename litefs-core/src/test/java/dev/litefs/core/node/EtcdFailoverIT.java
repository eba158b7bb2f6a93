package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.EtcdProcess;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two candidates sharing an etcd lease (a real etcd on loopback): the primary killed with SIGKILL, stopped
 * cleanly, or handing off; the other takes over and every committed write is there.
 */
class EtcdFailoverIT {
  static final Duration TAKEOVER = Duration.ofSeconds(30);

  @TempDir Path tmp;
  EtcdProcess etcd;
  MountedNode a;
  MountedNode b;

  @BeforeEach
  void start() throws Exception {
    etcd = EtcdProcess.start(Files.createDirectories(tmp.resolve("etcd")));
    a = node("a");
    Await.until("node a primary", TAKEOVER, () -> isPrimary(a));
    b = node("b");
    Await.until("node b following a", TAKEOVER, () -> Files.exists(b.path(".primary")));
    // b's snapshot may be taken meanwhile, whose read session holds the WAL's WRITE lock for a moment.
    Sqlite.Result setup = Sqlite.cli("-cmd", ".timeout 10000", a.path("db").toString(),
        "PRAGMA journal_mode=wal; CREATE TABLE t(v); INSERT INTO t VALUES (1);");
    assertThat(setup.code()).as(setup.err()).isZero();
    Await.until("b synced", TAKEOVER, () -> Files.exists(b.path("db"))
        && Files.readString(b.path("db-pos")).equals(Files.readString(a.path("db-pos"))));
  }

  @AfterEach
  void stop() throws Exception {
    for (MountedNode n : new MountedNode[] {b, a}) {
      if (n != null) {
        n.close();
      }
    }
    etcd.close();
  }

  MountedNode node(String name) throws Exception {
    return MountedNode.start(tmp.resolve(name), "lease:\n  type: etcd\n  hostname: \"" + name + "\"\n"
        + "  advertise-url: \"{{url}}\"\n  candidate: true\n  etcd:\n    endpoints: [\"" + etcd.clientUrl() + "\"]\n"
        + "    key: \"litefs/primary\"\n    ttl: 2s\nskip-sync: true\n");
  }

  static boolean isPrimary(MountedNode n) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(n.url() + "/info")).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body().contains("\"isPrimary\": true");
  }

  void assertWritesGoToB() throws Exception {
    // As an application would, the client waits out a lock held for a moment (a snapshot being served, say).
    Sqlite.Result w = Sqlite.cli("-cmd", ".timeout 10000", b.path("db").toString(), "INSERT INTO t VALUES (2); SELECT sum(v) FROM t;");
    assertThat(w.code()).as(w.err()).isZero();
    assertThat(w.out().trim()).isEqualTo("3");
    assertThat(b.path(".primary")).doesNotExist();
  }

  @Test
  void whenThePrimaryIsKilledTheOtherCandidateTakesOverAfterTheTtl() throws Exception {
    long killed = System.nanoTime();
    a.kill();
    Await.until("b primary", TAKEOVER, () -> isPrimary(b));
    long tookMs = (System.nanoTime() - killed) / 1_000_000;
    assertThat(tookMs).as("takeover after the 2 s TTL").isGreaterThanOrEqualTo(1000);
    assertWritesGoToB();
  }

  @Test
  void aCleanShutdownReleasesTheLeaseForAnImmediateTakeover() throws Exception {
    assertThat(a.stop()).isZero();
    Await.until("b primary", TAKEOVER, () -> isPrimary(b));
    assertWritesGoToB();
  }

  @Test
  void promotingTheReplicaHandsTheLeaseOver() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.url() + "/promote"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(isPrimary(b)).isTrue();
    Await.until("a follows b", TAKEOVER, () -> Files.exists(a.path(".primary")) && Files.readString(a.path(".primary")).equals("b\n"));
    assertWritesGoToB();
    Await.until("a has b's write", TAKEOVER, () -> Files.readString(a.path("db-pos")).equals(Files.readString(b.path("db-pos"))));
    assertThat(Sqlite.cli(a.path("db").toString(), "SELECT sum(v) FROM t").out().trim()).isEqualTo("3");
  }

  @Test
  void aFormerPrimaryAppliesTheNewPrimarysWritesOverItsOwnUncheckpointedWal() throws Exception {
    // An idle connection keeps the WAL from being checkpointed and deleted when the writer below closes.
    Process idle = Sqlite.startPython("import sqlite3,sys\n"
        + "c=sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)\n"
        + "print(c.execute('SELECT sum(v) FROM t').fetchone()[0], flush=True)\n"
        + "for line in sys.stdin:\n"
        + "  print('|'.join(str(r[0]) for r in c.execute(line)), flush=True)\n", a.path("db").toString());
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(idle.getInputStream()));
        var out = new java.io.PrintWriter(idle.getOutputStream(), true)) {
      assertThat(in.readLine()).isEqualTo("1");
      Sqlite.Result w = Sqlite.cli("-cmd", ".timeout 10000", a.path("db").toString(), "INSERT INTO t VALUES (10); INSERT INTO t VALUES (20);");
      assertThat(w.code()).as(w.err()).isZero();
      assertThat(Files.size(a.data().resolve("dbs/db/wal"))).as("a's WAL keeps its frames").isPositive();

      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.url() + "/promote"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Sqlite.Result onB = Sqlite.cli("-cmd", ".timeout 10000", b.path("db").toString(), "INSERT INTO t VALUES (100);");
      assertThat(onB.code()).as(onB.err()).isZero();
      Await.until("a has b's write", TAKEOVER, () -> Files.readString(a.path("db-pos")).equals(Files.readString(b.path("db-pos"))));

      out.println("SELECT sum(v) FROM t");
      assertThat(in.readLine()).as("the connection open on a throughout").isEqualTo("131");
      out.println("PRAGMA integrity_check");
      assertThat(in.readLine()).isEqualTo("ok");
      assertThat(Sqlite.cli(a.path("db").toString(), "SELECT sum(v) FROM t").out().trim()).as("a new connection").isEqualTo("131");
    } finally {
      idle.destroy();
      idle.waitFor();
    }
    assertThat(Sqlite.cli(a.path("db").toString(), "SELECT sum(v) FROM t").out().trim()).as("the first connection after")
        .isEqualTo("131");
  }
}
