package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.EtcdProcess;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A primary that stops being primary while a client commits continuously (two candidates on a real etcd): every
 * write SQLite acknowledged on the old primary is on the new one, whether the primary hands the lease off
 * ({@code POST /promote} on the replica) or shuts down cleanly (SIGTERM). The commit that is in flight when the
 * node steps down is the one at risk, so each test steps down repeatedly with the writer running, within a time
 * budget, and the two nodes end identical.
 */
class SteppingDownIT {
  static final Duration TAKEOVER = Duration.ofSeconds(30);
  /** How long a test keeps stepping down; each round is a fresh chance for a commit to be in flight. */
  static final Duration BUDGET = Duration.ofSeconds(35);
  static final int MAX_ROUNDS = 12;
  static final int MIN_ROUNDS = 3;

  @TempDir Path tmp;
  EtcdProcess etcd;
  MountedNode a;
  MountedNode b;

  @BeforeEach
  void start() throws Exception {
    etcd = EtcdProcess.start(Files.createDirectories(tmp.resolve("etcd")));
    a = node("a");
    Await.until("node a primary", TAKEOVER, () -> EtcdFailoverIT.isPrimary(a));
    b = node("b");
    Await.until("node b following a", TAKEOVER, () -> follows(b, "a"));
  }

  @AfterEach
  void stop() throws Exception {
    for (MountedNode n : new MountedNode[] {b, a}) {
      if (n != null) {
        n.close();
      }
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /**
   * A node on the shared etcd lease. LiteFS's default TTL of 10 s: a handed-off lease must be taken over within the
   * TTL, after the replica has applied the primary's last pass, which under a continuous writer on a loaded machine
   * can take longer than the 2 s other tests use (the old primary then keeps the lease, and promote times out).
   */
  MountedNode node(String name) throws Exception {
    return MountedNode.start(tmp.resolve(name), "lease:\n  type: etcd\n  hostname: \"" + name + "\"\n"
        + "  advertise-url: \"{{url}}\"\n  candidate: true\n  etcd:\n    endpoints: [\"" + etcd.clientUrl() + "\"]\n"
        + "    key: \"litefs/primary\"\n    ttl: 10s\nskip-sync: true\n");
  }

  static void awaitFollowing(MountedNode replica, MountedNode primary) {
    Await.until(name(replica) + " following " + name(primary), TAKEOVER, () -> follows(replica, name(primary)));
  }

  static boolean follows(MountedNode n, String primary) throws IOException {
    Path p = n.path(".primary");
    return Files.exists(p) && Files.readString(p).equals(primary + "\n");
  }

  void createTable(MountedNode primary, String mode) throws Exception {
    Sqlite.Result r = Sqlite.cli("-cmd", ".timeout 10000", primary.path("db").toString(),
        "PRAGMA journal_mode=" + mode + "; CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB);");
    assertThat(r.code()).as(r.err()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"wal", "delete"})
  void everyAcknowledgedWriteIsOnTheNewPrimaryAfterAHandoff(String mode) throws Exception {
    writeThroughRoleChanges(mode, "handoff", (primary, replica) -> promote(replica, primary), primary -> { });
  }

  @ParameterizedTest
  @ValueSource(strings = {"wal", "delete"})
  void everyAcknowledgedWriteIsOnTheNewPrimaryAfterACleanShutdown(String mode) throws Exception {
    writeThroughRoleChanges(mode, "shutdown",
        (primary, replica) -> assertThat(primary.stop()).as("exit status of %s", name(primary)).isZero(),
        MountedNode::restart);
  }

  /** How a round's primary steps down while a writer runs on it. */
  interface StepDown {
    void apply(MountedNode primary, MountedNode replica) throws Exception;
  }

  /** What the old primary does once the new one has taken over. */
  interface Rejoin {
    void apply(MountedNode oldPrimary) throws Exception;
  }

  /**
   * Rounds of: a writer on the primary, the primary stepping down under it, the replica taking over with every
   * row the writer saw acknowledged, the roles swapped. Then both nodes agree, without the refused rows.
   */
  void writeThroughRoleChanges(String mode, String what, StepDown stepDown, Rejoin rejoin) throws Exception {
    createTable(a, mode);
    MountedNode primary = a;
    MountedNode replica = b;
    Set<Long> acked = new TreeSet<>();
    Set<Long> refused = new TreeSet<>();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    int rounds = 0;
    while (rounds < MAX_ROUNDS && System.nanoTime() < deadline) {
      rounds++;
      awaitFollowing(replica, primary);
      Writer w = Writer.start(primary, rounds * 1_000_000L);
      w.awaitAcknowledged(20);
      stepDown.apply(primary, replica);
      w.awaitRefused();
      acked.addAll(w.acknowledged());
      refused.add(w.refused());
      MountedNode next = replica;
      Await.until(name(next) + " primary", TAKEOVER, () -> EtcdFailoverIT.isPrimary(next));
      assertHasEveryAcknowledgedRow(next, acked, "after " + what + " round " + rounds + " from " + name(primary));
      rejoin.apply(primary);
      replica = primary;
      primary = next;
    }
    assertThat(rounds).as(what + "s within %s", BUDGET).isGreaterThanOrEqualTo(MIN_ROUNDS);
    awaitFollowing(replica, primary);
    assertNodesEndIdentical(primary, replica, acked, refused);
  }

  /**
   * A transaction that already wrote pages (spilled from a 2-page cache: in DELETE mode into the database, with a
   * hot journal; in WAL mode as frames) when the primary hands off: its commit fails, the old primary's database is
   * as it was before it (readable at once, the hot journal rolled back by the engine), and both nodes then agree,
   * including on what the old primary had committed but not checkpointed before stepping down (WAL mode).
   */
  @ParameterizedTest
  @ValueSource(strings = {"wal", "delete"})
  void aTransactionInFlightWhenThePrimaryHandsOffFailsAndLeavesEveryNodeIntact(String mode) throws Exception {
    createTable(a, mode);
    try (Connection c = Sqlite.connect(a.path("db"), mode)) {
      // Committed on a; in WAL mode it stays in a's WAL (not checkpointed) while this connection is open.
      Sqlite.exec(c, "CREATE TABLE u(v)", "INSERT INTO u VALUES ('before')");
      // b must have it all before the transaction below locks a's database: a snapshot for b (b may still be
      // at TXID 0) would wait for that lock, and so would the handoff.
      Await.until("b at a's position", TAKEOVER,
          () -> Files.readString(b.path("db-pos")).equals(Files.readString(a.path("db-pos"))));
      Sqlite.exec(c, "PRAGMA cache_size=2", "BEGIN",
          "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100) "
              + "INSERT INTO t(v) SELECT randomblob(3000) FROM r");
      if (mode.equals("delete")) {
        assertThat(a.data().resolve("dbs/db/journal")).as("the transaction has spilled into the database")
            .isNotEmptyFile();
      }
      promote(b, a);
      awaitFollowing(a, b);
      assertThatThrownBy(() -> Sqlite.exec(c, "COMMIT")).isInstanceOf(SQLException.class);
    }
    Await.until("a readable with only what was committed", TAKEOVER, () -> {
      Sqlite.Result q = Sqlite.cli("-cmd", ".timeout 10000", a.path("db").toString(),
          "SELECT (SELECT count(*) FROM t), (SELECT group_concat(v) FROM u);");
      return q.code() == 0 && q.out().trim().equals("0|before");
    });
    Sqlite.Result w = Sqlite.cli("-cmd", ".timeout 10000", b.path("db").toString(),
        "INSERT INTO t(v) VALUES ('after'); INSERT INTO u VALUES ('after');");
    assertThat(w.code()).as(w.err()).isZero();
    Await.until("a at b's position", TAKEOVER,
        () -> Files.readString(a.path("db-pos")).equals(Files.readString(b.path("db-pos"))));
    for (MountedNode n : new MountedNode[] {a, b}) {
      Sqlite.Result q = Sqlite.cli("-cmd", ".timeout 10000", n.path("db").toString(),
          "SELECT (SELECT count(*) FROM t), (SELECT group_concat(v) FROM u); PRAGMA integrity_check;");
      assertThat(q.out().trim()).as("%s: %s", name(n), q.err()).isEqualTo("1|before,after\nok");
    }
  }

  /**
   * A replica that has not caught up is not promoted: b, restarted while a client holds a's database locked, cannot
   * get its first snapshot, so {@code /promote} on it fails naming the reason and a stays primary; once the lock
   * is gone b catches up and is promoted.
   */
  @Test
  void aReplicaThatHasNotCaughtUpIsNotPromoted() throws Exception {
    assertThat(b.stop()).isZero();
    createTable(a, "delete");
    try (Connection c = Sqlite.connect(a.path("db"), "delete")) {
      Sqlite.exec(c, "BEGIN EXCLUSIVE");
      b.restart();
      awaitFollowing(b, a);
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.url()
          + "/promote")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("not caught up with primary a");
      assertThat(EtcdFailoverIT.isPrimary(a)).isTrue();
      Sqlite.exec(c, "COMMIT");
    }
    // The snapshot that waited for the lock sent nothing for as long as the replica's silent-primary timeout
    // (5 s) can be: the replica may be reconnecting, and a promote then answers "no primary".
    awaitFollowing(b, a);
    promote(b, a);
    awaitFollowing(a, b);
    assertThat(rows(b)).isEmpty();
  }

  /** {@code POST /promote} on {@code replica}, which must become primary; a failure shows both nodes' logs. */
  static void promote(MountedNode replica, MountedNode primary) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(replica.url()
        + "/promote")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("promote %s: %s\nlog of %s:\n%s\nlog of %s:\n%s", name(replica), r.body(),
        name(replica), replica.log(), name(primary), primary.log()).isEqualTo(200);
  }

  static String name(MountedNode n) {
    return n.dir().getFileName().toString();
  }

  static Set<Long> rows(MountedNode n) throws IOException {
    Sqlite.Result r = Sqlite.cli("-cmd", ".timeout 10000", n.path("db").toString(), "SELECT id FROM t;");
    assertThat(r.code()).as("reading %s: %s", name(n), r.err()).isZero();
    Set<Long> ids = new TreeSet<>();
    for (String line : r.out().split("\n")) {
      if (!line.isBlank()) {
        ids.add(Long.parseLong(line.trim()));
      }
    }
    return ids;
  }

  static void assertHasEveryAcknowledgedRow(MountedNode n, Set<Long> acked, String when) throws IOException {
    Set<Long> missing = new TreeSet<>(acked);
    missing.removeAll(rows(n));
    assertThat(missing).as("acknowledged rows missing on %s %s; its log:\n%s", name(n), when, n.log()).isEmpty();
  }

  /**
   * Both nodes at the same position with the same rows: every acknowledged one, none whose commit the writer saw
   * fail; both databases intact; and no node's stop waited out the HTTP server's stop timeout.
   */
  static void assertNodesEndIdentical(MountedNode primary, MountedNode replica, Set<Long> acked, Set<Long> refused)
      throws IOException {
    Await.until(name(replica) + " at " + name(primary) + "'s position", TAKEOVER,
        () -> Files.readString(replica.path("db-pos")).equals(Files.readString(primary.path("db-pos"))));
    Set<Long> onPrimary = rows(primary);
    assertThat(onPrimary).containsAll(acked).doesNotContainAnyElementsOf(refused);
    assertThat(rows(replica)).isEqualTo(onPrimary);
    for (MountedNode n : new MountedNode[] {primary, replica}) {
      Sqlite.Result check = Sqlite.cli("-cmd", ".timeout 10000", n.path("db").toString(), "PRAGMA integrity_check;");
      assertThat(check.out().trim()).as("integrity of %s: %s", name(n), check.err()).isEqualTo("ok");
      assertThat(n.log()).as("log of %s", name(n)).doesNotContain("TimeoutException");
    }
  }

  /**
   * A Python sqlite3 client inserting ids from {@code first} on, one autocommit transaction each, printing each id
   * once SQLite has acknowledged its commit; it exits at the first refused write (the node is no longer primary).
   */
  static final class Writer {
    static final String SCRIPT = String.join("\n",
        "import sqlite3, sys",
        "c = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)",
        "i = int(sys.argv[2])",
        "while True:",
        "    try:",
        "        c.execute('INSERT INTO t(id) VALUES (?)', (i,))",
        "    except sqlite3.Error as e:",
        "        print('refused', i, e, flush=True)",
        "        break",
        "    print(i, flush=True)",
        "    i += 1",
        "");

    private final Process process;
    private final ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    private volatile long refused = -1;
    private final List<String> other = new ArrayList<>();
    private final Thread reader;

    private Writer(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "writer-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Writer start(MountedNode primary, long first) throws IOException {
      return new Writer(Sqlite.startPython(SCRIPT, primary.path("db").toString(), String.valueOf(first)));
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.matches("\\d+")) {
            acknowledged.add(Long.parseLong(line));
          } else {
            if (line.startsWith("refused ")) {
              refused = Long.parseLong(line.split(" ")[1]);
            }
            synchronized (other) {
              other.add(line);
            }
          }
        }
      } catch (IOException e) {
        synchronized (other) {
          other.add("reading the writer's output failed: " + e);
        }
      }
    }

    void awaitAcknowledged(int n) {
      Await.until(n + " acknowledged writes (writer said " + other() + ")", TAKEOVER, () -> {
        if (!process.isAlive() && acknowledged.size() < n) {
          throw new IllegalStateException("writer exited: " + other() + " " + stderr());
        }
        return acknowledged.size() >= n;
      });
    }

    /** Waits for the writer to stop at a refused write and for every line it printed. */
    void awaitRefused() throws InterruptedException {
      if (!process.waitFor(TAKEOVER.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the writer was never refused: " + other());
      }
      reader.join(TAKEOVER.toMillis());
      assertThat(other()).as("the writer stops at a refused write").contains("refused");
    }

    List<Long> acknowledged() {
      return List.copyOf(acknowledged);
    }

    /** The id whose insert SQLite reported failed (after {@link #awaitRefused()}). */
    long refused() {
      return refused;
    }

    private String other() {
      synchronized (other) {
        return String.join("; ", other);
      }
    }

    private String stderr() {
      try {
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
  }
}
