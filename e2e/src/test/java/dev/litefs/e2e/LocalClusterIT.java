package dev.litefs.e2e;

import static dev.litefs.e2e.Http.describe;
import static dev.litefs.e2e.Http.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local cluster of {@code bin/litefs-demo}, end to end through the dev edge: etcd electing the primary, three
 * {@code litefs mount} processes each running the sample app, the stub source, the edge. One cluster for the whole
 * class, in the order a user would try it: the seed scenario, read-your-writes, migrations, the worker, then the
 * primary crashing, then Ctrl-C.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  /** The lease TTL is 2s; "within seconds" leaves room for a loaded 2-core machine. */
  static final Duration FAILOVER_LIMIT = Duration.ofSeconds(10);
  static final Duration REPLICATION = Duration.ofSeconds(30);

  static Demo demo;

  @BeforeAll
  static void startTheCluster() throws Exception {
    assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        .as("the local cluster mounts FUSE file systems: run as root (bin/test checks this)").isEqualTo(0);
    assertThat(Path.of("/dev/fuse")).as("the local cluster needs /dev/fuse (bin/test checks this)").exists();
    demo = Demo.start("cluster", Map.of());
    assertThat(demo.output()).contains("the cluster is up");
  }

  @AfterAll
  static void stopTheCluster() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  @Order(1)
  void aReplicasMissIsReplayedOnThePrimaryThenServedByTheReplica() {
    // What the edge gets from a replica on a miss (asked directly): a fly-replay to the primary, no source call.
    long served = stubServed();
    HttpResponse<String> direct = Http.get(demo.node(2, "/resources/asked-directly"));
    assertThat(direct.statusCode()).as(describe(direct)).isEqualTo(409);
    assertThat(header(direct, "fly-replay")).startsWith("instance=node1;").contains("state=require-primary");
    assertThat(stubServed()).isEqualTo(served);

    // Through the edge, forced onto node2: node2 answers fly-replay, the edge replays on node1, node1 fetches it
    // from the stub and inserts it.
    HttpResponse<String> miss = Http.get(demo.edge("/resources/seed-1"), "fly-force-instance-id", "node2");
    assertThat(miss.statusCode()).as(describe(miss)).isEqualTo(200);
    assertThat(header(miss, "X-Node")).as("answered by the primary after the replay").isEqualTo("node1");
    assertThat(header(miss, "X-Resource-Origin")).isEqualTo("source");
    assertThat(Http.json(miss).get("fetchedBy").asText()).isEqualTo("node1");
    assertThat(stubServed()).isEqualTo(served + 1);
    String cookie = Http.cookie(miss, "__txid");

    // Replicated: node2 now serves it from its own copy, and the source is not asked again.
    Await.until("node2 to serve seed-1 from its own copy", REPLICATION, () -> {
      HttpResponse<String> hit = Http.get(demo.edge("/resources/seed-1"), "fly-force-instance-id", "node2",
          "Cookie", cookie);
      assertThat(hit.statusCode()).as(describe(hit)).isEqualTo(200);
      assertThat(header(hit, "X-Resource-Origin")).as(describe(hit)).isEqualTo("database");
      return header(hit, "X-Node").equals("node2");
    });
    HttpResponse<String> onNode3 = Http.get(demo.edge("/resources/seed-1"), "fly-force-instance-id", "node3",
        "Cookie", cookie);
    assertThat(header(onNode3, "X-Resource-Origin")).as(describe(onNode3)).isEqualTo("database");
    assertThat(Http.json(onNode3).get("title").asText()).isEqualTo(Http.json(miss).get("title").asText());
    assertThat(stubServed()).as("the source is asked once per resource").isEqualTo(served + 1);
  }

  @Test
  @Order(2)
  void aCallersCookieMakesItsWriteVisibleAtOnceOnAnotherNode() {
    int servedByTheReplica = 0;
    for (int i = 1; i <= 6; i++) {
      String id = "ryw-" + i;
      String other = i % 2 == 0 ? "node2" : "node3";
      HttpResponse<String> write = Http.get(demo.edge("/resources/" + id), "fly-force-instance-id", "node2");
      assertThat(write.statusCode()).as(describe(write)).isEqualTo(200);
      assertThat(header(write, "X-Resource-Origin")).isEqualTo("source");
      String cookie = Http.cookie(write, "__txid");

      // At once, on another node, with the cookie: the list (a purely local read, never replayed for a miss)
      // already holds the write, because the replica waits for the cookie's TXID or hands the request on.
      HttpResponse<String> list = Http.get(demo.edge("/resources"), "fly-force-instance-id", other, "Cookie", cookie);
      assertThat(list.statusCode()).as(describe(list)).isEqualTo(200);
      assertThat(header(list, "X-Node")).isIn(other, "node1");
      assertThat(list.body()).as("the list on " + header(list, "X-Node")).contains("\"id\":\"" + id + "\"");
      HttpResponse<String> read = Http.get(demo.edge("/resources/" + id), "fly-force-instance-id", other, "Cookie",
          cookie);
      assertThat(read.statusCode()).as(describe(read)).isEqualTo(200);
      assertThat(header(read, "X-Node")).isIn(other, "node1");
      if (header(list, "X-Node").equals(other)) {
        servedByTheReplica++;
      }
    }
    assertThat(servedByTheReplica).as("reads the replicas served themselves, after waiting for the cookie's TXID")
        .isPositive();
  }

  @Test
  @Order(3)
  void flywayMigratedOnceOnThePrimary() throws Exception {
    // The history as node3 holds it, read by the sqlite3 CLI through node3's mount.
    String history = sqlite(3, "SELECT version, description, success FROM flyway_schema_history ORDER BY "
        + "installed_rank;");
    assertThat(history.lines()).containsExactly("1|resources|1", "2|jobs|1");

    assertThat(demo.nodeLog(1)).contains("Flyway: this node is the primary; applied 2 migration(s)");
    for (int n = 2; n <= 3; n++) {
      assertThat(demo.nodeLog(n)).as("node" + n + "'s log")
          .contains("Flyway: this node is a replica; waiting")
          .doesNotContain("Migrating schema")
          .doesNotContainPattern("applied [1-9]\\d* migration");
    }
    long migrations = IntStream.rangeClosed(1, 3).mapToLong(n -> count(demo.nodeLog(n), "Migrating schema")).sum();
    assertThat(migrations).as("migrations run in the whole cluster").isEqualTo(2);
  }

  @Test
  @Order(4)
  void theWorkerRunsOnExactlyOneNodeThePrimary() {
    Await.until("seed-1 enriched by node1's worker", REPLICATION, () -> Http.json(
        Http.get(demo.edge("/resources/seed-1"), "fly-force-instance-id", "node1")).path("enrichedBy").asText()
        .equals("node1"));
    assertThat(workers()).containsExactly("node1");
    assertThat(status(1).get("role").asText()).isEqualTo("primary");
    assertThat(status(1).get("jobsRun").asLong()).isPositive();
    for (int n = 2; n <= 3; n++) {
      JsonNode replica = status(n);
      assertThat(replica.get("role").asText()).isEqualTo("replica");
      assertThat(replica.get("primary").asText()).isEqualTo("node1");
      assertThat(replica.get("jobsRun").asLong()).as("jobs run on node" + n).isZero();
    }
  }

  @Test
  @Order(5)
  void whenThePrimaryIsKilledReadsGoOnAndTheWorkerMovesWithinSeconds() throws Exception {
    long killed = System.nanoTime();
    demo.crash(1);

    // Until node2 has taken over (node3 is not a candidate): reads keep being served, through the edge's round
    // robin (which passes over node1's closed port) and on each replica. Every failed read is kept, not retried.
    AtomicInteger readsWithoutPrimary = new AtomicInteger();
    List<String> failedReads = new ArrayList<>();
    Await.until("node2 to become primary and run the worker", FAILOVER_LIMIT.multipliedBy(3), () -> {
      JsonNode node2 = status(2);
      if (node2.get("role").asText().equals("primary") && node2.get("workerRunning").asBoolean()) {
        return true;
      }
      for (String[] route : new String[][] {{}, {"fly-force-instance-id", "node2"}, {"fly-force-instance-id", "node3"}}) {
        String how = route.length == 0 ? "round robin" : "forced to " + route[1];
        try {
          HttpResponse<String> read = Http.get(demo.edge("/resources/seed-1"), route);
          if (read.statusCode() != 200 || !header(read, "X-Node").matches("node[23]")) {
            failedReads.add(how + ": " + describe(read));
          }
        } catch (RuntimeException e) {
          failedReads.add(how + ": " + e);
        }
      }
      readsWithoutPrimary.incrementAndGet();
      return false;
    });
    assertThat(failedReads).as("reads while node1 was down or just after").isEmpty();
    Duration took = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(took).as("from SIGKILL to the worker running on node2").isLessThan(FAILOVER_LIMIT);
    assertThat(readsWithoutPrimary.get()).as("rounds of reads served while there was no primary").isPositive();
    System.err.println("e2e: the worker moved to node2 " + took.toMillis() + " ms after node1 was killed; "
        + readsWithoutPrimary.get() + " rounds of reads were served in between");

    Await.until("node3 to follow node2", REPLICATION, () -> status(3).path("primary").asText().equals("node2"));
    assertThat(workers()).containsExactly("node2");

    // Writes go to the new primary: a miss on node3 is replayed on node2, whose worker enriches it.
    HttpResponse<String> miss = Http.get(demo.edge("/resources/after-failover"), "fly-force-instance-id", "node3");
    assertThat(miss.statusCode()).as(describe(miss)).isEqualTo(200);
    assertThat(header(miss, "X-Node")).isEqualTo("node2");
    assertThat(header(miss, "X-Resource-Origin")).isEqualTo("source");
    Await.until("after-failover enriched by node2's worker", REPLICATION, () -> Http.json(
        Http.get(demo.edge("/resources/after-failover"), "fly-force-instance-id", "node2")).path("enrichedBy")
        .asText().equals("node2"));

    // The promotion ran no migration: the history is unchanged.
    assertThat(demo.nodeLog(2)).contains("Flyway: this node was promoted; applied 0 migration(s)")
        .doesNotContain("Migrating schema");
    assertThat(sqlite(3, "SELECT count(*) FROM flyway_schema_history;").trim()).isEqualTo("2");
    // The script noticed, and cleared node1's stale mount; its watcher reports each change on its next look.
    Await.until("bin/litefs-demo to report node1 stopped and node2 primary", REPLICATION,
        () -> demo.output().contains("node1 has stopped") && demo.output().contains("node2 is now the primary"));
  }

  @Test
  @Order(6)
  void theCrashedNodeComesBackAsAReplicaAndTheWorkerStaysOnOneNode() throws Exception {
    assertThat(demo.command("start", "node1")).contains("node1 is running again, as a replica");

    JsonNode node1 = status(1);
    assertThat(node1.get("role").asText()).isEqualTo("replica");
    assertThat(node1.get("primary").asText()).isEqualTo("node2");
    // What was written while it was down reached it, and it serves it from its own copy.
    HttpResponse<String> read = Http.get(demo.edge("/resources/after-failover"), "fly-force-instance-id", "node1");
    assertThat(header(read, "X-Node")).as(describe(read)).isEqualTo("node1");
    assertThat(header(read, "X-Resource-Origin")).isEqualTo("database");
    assertThat(workers()).containsExactly("node2");
  }

  @Test
  @Order(7)
  void ctrlCStopsEverythingAndLeavesNothingRunningOrMounted() throws Exception {
    String signal = demo.interruptSignal();
    int status = demo.interrupt();
    assertThat(status).as(demo.output()).isEqualTo(signal.equals("INT") ? 130 : 143);
    assertThat(demo.output()).contains("stopped: nothing is left running or mounted");
    assertThat(demo.leftovers()).isEmpty();
  }

  /**
   * Runs a query with the sqlite3 CLI on node N's mount: a client nobody here wrote. It waits for locks as an
   * application would (the replica takes them while it applies a transaction).
   */
  static String sqlite(int n, String sql) throws Exception {
    return Demo.run("sqlite3", "-readonly", "-cmd", ".timeout 10000", demo.mount(n).resolve("app.db").toString(), sql);
  }

  /** Node N's {@code /status}, through the edge. */
  static JsonNode status(int n) {
    HttpResponse<String> r = Http.get(demo.edge("/status"), "fly-force-instance-id", "node" + n);
    assertThat(r.statusCode()).as(describe(r)).isEqualTo(200);
    assertThat(header(r, "X-Node")).isEqualTo("node" + n);
    return Http.json(r);
  }

  /** The nodes (of those running) whose worker runs. */
  static List<String> workers() {
    return IntStream.rangeClosed(1, 3).filter(LocalClusterIT::isUp)
        .filter(n -> status(n).get("workerRunning").asBoolean()).mapToObj(n -> "node" + n).toList();
  }

  static boolean isUp(int n) {
    try {
      return Http.get(demo.node(n, "/actuator/health/liveness")).statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** How many resources the stub source has served, from its index page. */
  static long stubServed() {
    String index = Http.get(demo.stub("/")).body();
    Matcher m = Pattern.compile("served (\\d+) resource").matcher(index);
    assertThat(m.find()).as(index).isTrue();
    return Long.parseLong(m.group(1));
  }

  static long count(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).count();
  }
}
