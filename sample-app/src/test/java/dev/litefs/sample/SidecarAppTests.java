package dev.litefs.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.litefs.sample.jobs.JobWorker;
import dev.litefs.sample.stub.StubSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The whole application in sidecar mode on a simulated LiteFS mount: the test plays LiteFS (role files, {@code -pos},
 * {@code /events}) and replication (writing rows into the mount's database, then a {@code tx} event), so the
 * application's routing, read-your-writes and primary-only worker are seen as a user would see them on a cluster.
 */
class SidecarAppTests {

  @TempDir
  Path dir;

  private StubSource stub;
  private SimulatedLiteFs mount;
  private JdbcClient database;
  private ConfigurableApplicationContext app;
  private int port;

  @BeforeEach
  void startStub() throws IOException {
    stub = StubSource.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (mount != null) {
      mount.close();
    }
    stub.close();
  }

  /** The mount's database as the primary made it (migrated), at TXID {@code txid}; then the application starts. */
  private void start(SimulatedLiteFs simulated, long txid) {
    mount = simulated;
    database = TestDatabase.client(mount.database("app.db"));
    mount.commit("app.db", txid);
    String[] args = new String[mount.properties().length + 5];
    int i = 0;
    for (String p : mount.properties()) {
      args[i++] = "--" + p;
    }
    args[i++] = "--server.port=0";
    args[i++] = "--sample.source.url=" + stub.url();
    args[i++] = "--sample.jobs.poll-interval=50ms";
    args[i++] = "--sample.jobs.sweep-interval=50ms";
    args[i] = "--litefs.consistency.max-wait=10s";
    app = new SpringApplicationBuilder(SampleApplication.class).run(args);
    port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  private void startReplica() {
    start(SimulatedLiteFs.replica(dir.resolve("mount"), "node2", "node1"), 10);
  }

  /** Replication: the primary's row arrives in this node's database, then LiteFS announces the transaction. */
  private void replicate(String id, long txid) {
    database.sql("INSERT INTO resources (id, title, body, fetched_at, fetched_by) VALUES (?, ?, ?, ?, 'node1')")
        .params(id, "Resource " + id, "replicated from the primary", System.currentTimeMillis()).update();
    mount.commit("app.db", txid);
  }

  private String jobState(String payload) {
    return database.sql("SELECT state FROM jobs WHERE payload = ?").param(payload).query(String.class).single();
  }

  @Test
  void onAReplicaAMissIsReplayedOnThePrimaryWithoutAskingTheSource() {
    startReplica();
    HttpResponse<String> r = Http.get(port, "/resources/delta");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.headers().firstValue("fly-replay"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("instance=node1;state=require-primary;"));
    assertThat(r.headers().firstValue("X-Node")).contains("node2");
    assertThat(stub.served()).isZero();
    assertThat(database.sql("SELECT count(*) FROM resources").query(Integer.class).single()).isZero();
  }

  @Test
  void onAReplicaAReplicatedResourceIsServedLocally() {
    startReplica();
    replicate("kappa", 11);
    HttpResponse<String> r = Http.get(port, "/resources/kappa");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Resource-Origin")).contains("database");
    assertThat(r.headers().firstValue("X-Node")).contains("node2");
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
    assertThat(Http.json(r).get("fetchedBy").asString()).isEqualTo("node1");
  }

  @Test
  void theClientThatCausedAnInsertReadsItOnAReplicaOnceItHasReplicated() throws Exception {
    startReplica();
    // The primary's answer to this client's miss carried __txid=...0c; the replica is still at TXID 10.
    CompletableFuture<HttpResponse<String>> read = CompletableFuture.supplyAsync(
        () -> Http.get(port, "/resources/rho", "Cookie", "__txid=" + SimulatedLiteFs.hex(12)));
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !read.isDone());
    replicate("rho", 11);
    mount.commit("app.db", 12);

    HttpResponse<String> r = read.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Resource-Origin")).contains("database");
    assertThat(r.headers().firstValue("X-Node")).contains("node2");
    assertThat(stub.served()).isZero();
  }

  @Test
  void onThePrimaryTheResponseThatInsertedCarriesTheReadYourWritesCookie() {
    start(SimulatedLiteFs.primary(dir.resolve("mount"), "node1"), 7);
    HttpResponse<String> miss = Http.get(port, "/resources/zeta");
    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.headers().firstValue("X-Resource-Origin")).contains("source");
    assertThat(miss.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("__txid=" + SimulatedLiteFs.hex(7) + ";"));
    assertThat(miss.headers().firstValue("Litefs-Txid")).contains(SimulatedLiteFs.hex(7));

    HttpResponse<String> hit = Http.get(port, "/resources/zeta");
    assertThat(hit.headers().firstValue("X-Resource-Origin")).contains("database");
    assertThat(hit.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(stub.served()).isEqualTo(1);
  }

  @Test
  void theWorkerAndTheSweepRunOnlyOnThePrimaryAndMoveWithIt() {
    startReplica();
    replicate("omega", 11);
    replicate("sigma", 12);
    // A job waiting, and one the old primary (node1) claimed long ago and never finished.
    database.sql("INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at) "
        + "VALUES ('enrich-resource', 'omega', 'ready', 5, 0, 0)").update();
    database.sql("INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, claimed_by, "
        + "claimed_until) VALUES ('enrich-resource', 'sigma', 'claimed', 1, 5, 0, 0, 'node1', 1)").update();
    mount.commit("app.db", 13);
    JobWorker worker = app.getBean(JobWorker.class);

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !worker.isRunning()
        && jobState("omega").equals("ready") && jobState("sigma").equals("claimed"));
    assertThat(Http.get(port, "/").body()).contains("<strong id=\"role\">replica</strong>")
        .contains("<strong id=\"worker\">not running here</strong>");
    JsonNode replicaStatus = Http.json(Http.get(port, "/status"));
    assertThat(replicaStatus.get("role").asString()).isEqualTo("replica");
    assertThat(replicaStatus.get("mode").asString()).isEqualTo("sidecar");
    assertThat(replicaStatus.get("primary").asString()).isEqualTo("node1");
    assertThat(replicaStatus.get("workerRunning").asBoolean()).isFalse();

    mount.promote();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> jobState("omega").equals("done") && jobState("sigma").equals("done"));
    assertThat(Http.json(Http.get(port, "/resources/omega")).get("enrichedBy").asString()).isEqualTo("node2");
    assertThat(Http.json(Http.get(port, "/resources/sigma")).get("enrichedBy").asString()).isEqualTo("node2");
    assertThat(Http.get(port, "/").body()).contains("<strong id=\"role\">primary</strong>")
        .contains("<strong id=\"worker\">running here</strong>");
    JsonNode primaryStatus = Http.json(Http.get(port, "/status"));
    assertThat(primaryStatus.get("role").asString()).isEqualTo("primary");
    assertThat(primaryStatus.get("workerRunning").asBoolean()).isTrue();
    assertThat(primaryStatus.get("jobsRun").asLong()).isGreaterThanOrEqualTo(2);

    mount.demoteTo("node3");
    await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isRunning());
    assertThat(Http.get(port, "/").body()).contains("Primary: <strong id=\"primary\">node3</strong>");
  }
}
