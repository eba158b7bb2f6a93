package dev.litefs.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.litefs.sample.stub.StubSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole application in dev mode (no mount: a plain SQLite file, always primary) on a random port, fetching
 * from a real stub source over HTTP.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DevModeAppTests {
  static final StubSource STUB = startStub();
  static final Path DIR = tempDir();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("litefs.mode", () -> "auto");
    registry.add("litefs.mount-dir", () -> DIR.resolve("no-mount").toString());
    registry.add("litefs.dev.dir", () -> DIR.resolve("data").toString());
    registry.add("litefs.hostname", () -> "laptop");
    registry.add("sample.source.url", () -> STUB.url().toString());
    registry.add("sample.jobs.poll-interval", () -> "50ms");
    registry.add("sample.jobs.sweep-interval", () -> "50ms");
  }

  static StubSource startStub() {
    try {
      return StubSource.start(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("sample-dev");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopStub() {
    STUB.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  JdbcClient jdbc;

  private HttpResponse<String> get(String path) {
    return Http.get(port, path);
  }

  @Test
  void aMissIsFetchedFromTheSourceInsertedAndThenServedFromTheDatabase() {
    long before = STUB.served();
    HttpResponse<String> first = get("/resources/alpha");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-Resource-Origin")).contains("source");
    JsonNode resource = Http.json(first);
    assertThat(resource.get("id").asString()).isEqualTo("alpha");
    assertThat(resource.get("title").asString()).isEqualTo("Resource alpha");
    assertThat(resource.get("fetchedBy").asString()).isEqualTo("laptop");
    assertThat(STUB.served()).isEqualTo(before + 1);

    HttpResponse<String> second = get("/resources/alpha");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("X-Resource-Origin")).contains("database");
    assertThat(Http.json(second).get("fetchedAt")).isEqualTo(resource.get("fetchedAt"));
    assertThat(STUB.served()).isEqualTo(before + 1);
    assertThat(DIR.resolve("data/app.db")).isRegularFile();
  }

  @Test
  void theWorkerEnrichesANewResourceInTheBackground() {
    String body = Http.json(get("/resources/beta")).get("body").asString();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !Http.json(get("/resources/beta")).get("enrichedBy").isNull());
    JsonNode enriched = Http.json(get("/resources/beta"));
    assertThat(enriched.get("enrichedBy").asString()).isEqualTo("laptop");
    assertThat(enriched.get("wordCount").asInt()).isEqualTo(body.split(" ").length);
    assertThat(enriched.get("digest").asString()).hasSize(16);
  }

  @Test
  void theScheduledSweepGivesBackAClaimWhoseVisibilityTimeoutExpired() {
    get("/resources/theta");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Http.json(get("/resources/theta")).get("enrichedBy").isNull());
    // A claim that the worker will not give back itself (it only does so when it starts): only the sweep can.
    jdbc.sql("INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, claimed_by, "
        + "claimed_until) VALUES ('enrich-resource', 'theta', 'claimed', 1, 5, 0, 0, 'crashed-worker', 1)").update();
    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("SELECT count(*) FROM jobs WHERE payload = 'theta' "
        + "AND state = 'done' AND attempts = 2").query(Integer.class).single() == 1);
  }

  @Test
  void concurrentMissesForOneIdStoreItOnceAndEnqueueOneJob() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(CompletableFuture.supplyAsync(() -> get("/resources/gamma")));
    }
    List<String> fetchedAt = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> r : requests) {
      assertThat(r.get().statusCode()).isEqualTo(200);
      fetchedAt.add(Http.json(r.get()).get("fetchedAt").asString());
    }
    assertThat(fetchedAt).containsOnly(fetchedAt.get(0));
    assertThat(jdbc.sql("SELECT count(*) FROM jobs WHERE payload = 'gamma'").query(Integer.class).single())
        .isEqualTo(1);
  }

  @Test
  void aResourceTheSourceDoesNotHaveIsNotFound() {
    HttpResponse<String> r = get("/resources/missing-1");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(Http.json(r).get("detail").asString()).isEqualTo("Resource 'missing-1' is not stored here and the "
        + "source at " + STUB.url() + " does not have it");
    assertThat(get("/resources/missing-1").statusCode()).isEqualTo(404);
  }

  @Test
  void anInvalidIdIsRefusedWithoutAskingTheSource() {
    long before = STUB.served();
    for (String id : new String[] {"-leading-dash", "x".repeat(65), "a%20b", "%3Cscript%3E"}) {
      HttpResponse<String> r = get("/resources/" + id);
      assertThat(r.statusCode()).as(id).isEqualTo(400);
      assertThat(r.body()).as(id).doesNotContain("<script>").doesNotContain("a b");
    }
    assertThat(STUB.served()).isEqualTo(before);
  }

  @Test
  void everyResponseSaysWhichNodeAnswered() {
    get("/resources/delta");
    for (String path : new String[] {"/", "/resources", "/resources/delta", "/resources/missing-2",
        "/resources/-bad", "/no-such-page", "/actuator/health", "/actuator/health/litefs"}) {
      assertThat(get(path).headers().allValues("X-Node")).as(path).containsExactly("laptop");
    }
  }

  @Test
  void theStatusPageShowsTheNodeItsRoleAndTheResources() {
    get("/resources/epsilon");
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body())
        .contains("<strong id=\"node\">laptop</strong>")
        .contains("<strong id=\"role\">primary</strong> (dev mode)")
        .contains("Primary: <strong id=\"primary\">laptop</strong>")
        .contains("<td>app.db</td>")
        .contains("<strong id=\"worker\">running here</strong>")
        .contains("<a href=\"/resources/epsilon\">epsilon</a>");
  }

  @Test
  void theStatusEndpointReportsTheSameAsJson() {
    get("/resources/eta");
    HttpResponse<String> r = get("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode status = Http.json(r);
    assertThat(status.get("node").asString()).isEqualTo("laptop");
    assertThat(status.get("role").asString()).isEqualTo("primary");
    assertThat(status.get("mode").asString()).isEqualTo("dev");
    assertThat(status.get("primary").asString()).isEqualTo("laptop");
    assertThat(status.get("workerRunning").asBoolean()).isTrue();
    assertThat(status.at("/databases/app.db/txid").asString()).matches("[0-9a-f]{16}");
    assertThat(status.at("/databases/app.db/checksum").asString()).matches("[0-9a-f]{16}");
    assertThat(status.has("jobsRun")).isTrue();
    assertThat(status.at("/jobs/ready").isNumber()).isTrue();
  }

  @Test
  void healthReportsLiteFs() {
    HttpResponse<String> r = get("/actuator/health/litefs");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode health = Http.json(r);
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.at("/details/mode").asString()).isEqualTo("dev");
    assertThat(health.at("/details/role").asString()).isEqualTo("primary");
    assertThat(health.at("/details/hostname").asString()).isEqualTo("laptop");
  }
}
