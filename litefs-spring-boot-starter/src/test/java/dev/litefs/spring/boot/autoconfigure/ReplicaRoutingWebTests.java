package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.litefs.spring.LiteFs;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A real web application on a simulated LiteFS replica (Fly.io replay mode). */
@SpringBootTest(classes = WebTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReplicaRoutingWebTests {
  static final FakeLiteFs fake = FakeLiteFs.replica("node1");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    fake.properties("app.db").forEach((k, v) -> registry.add(k, () -> v));
    registry.add("litefs.consistency.max-wait", () -> "1500ms");
  }

  @AfterAll
  static void closeMount() {
    fake.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  WebTestApp.Api api;

  @Autowired
  LiteFs liteFs;

  @BeforeEach
  void replicaOfNode1() {
    fake.demoteTo("node1");
    fake.commit("app.db", 10);
    await().atMost(Duration.ofSeconds(5)).until(() -> liteFs.primaryHostname().orElse("").equals("node1"));
    api.executed.set(0);
  }

  @AfterEach
  void nothingRanHere() {
    assertThat(api.executed).as("handlers that ran on the replica").hasValue(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void aPrimaryOnlyWriteIsReplayedOnThePrimaryWithoutRunning() {
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "{\"name\":\"a\"}", "Content-Type", "application/json");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.headers().firstValue("fly-replay"))
        .contains("instance=node1;state=primary-only;timeout=5s;fallback=prefer_self");
  }

  @Test
  void aGetThatNeedsToWriteIsReplayedFromRequirePrimary() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/items/missing"), null);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.headers().firstValue("fly-replay")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("instance=node1;state=require-primary;"));
  }

  @Test
  void readsAreServedOnTheReplica() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/items/42"), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("found 42");
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void aRequestAlreadyReplayedIsNotBouncedAgain() {
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "x",
        "fly-replay-src", "instance=0000;region=ams;t=1;state=primary-only");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("1");
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
  }

  @Test
  void aFailedReplayAnswersServiceUnavailable() {
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "x",
        "fly-replay-failed", "instance=1;app=a;region=ams;replay_source=2;reason=timeout;elapsed_ms=5000");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void withoutAKnownPrimaryWritesAnswerServiceUnavailableWithRetryAfter() {
    fake.losePrimary();
    await().atMost(Duration.ofSeconds(5)).until(() -> liteFs.primaryHostname().isEmpty());
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "x");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("1");
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
  }

  @Test
  void aPrimaryHostnameThatIsNotHeaderSafeIsNeverEchoed() {
    fake.send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":false,\"hostname\":\"evil\\r\\nSet-Cookie: pwned=1\"}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> liteFs.primaryHostname().isEmpty());
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "x");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(WebTestApp.allHeaderValues(r)).noneMatch(v -> v.contains("evil") || v.contains("pwned"));
    assertThat(r.body()).doesNotContain("evil");
  }

  @Test
  void aReadWithATxidAheadWaitsForReplicationAndIsThenServedHere() throws Exception {
    CompletableFuture<HttpResponse<String>> read = CompletableFuture.supplyAsync(
        () -> WebTestApp.send("GET", url("/read"), null, "Cookie", "__txid=000000000000000c"));
    // It cannot be served at TXID 10, so it stays in flight...
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !read.isDone());
    // ...until replication reaches TXID 12.
    fake.commit("app.db", 11);
    fake.commit("app.db", 12);
    HttpResponse<String> r = read.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("read on node2");
  }

  @Test
  void aReadWithATxidReplicationDoesNotReachInTimeIsReplayedOnThePrimary() {
    long t0 = System.nanoTime();
    HttpResponse<String> r = WebTestApp.send("GET", url("/read"), null, "Litefs-Txid", "0000000000000063");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1490));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.headers().firstValue("fly-replay")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("instance=node1;state=txid-timeout;"));
  }

  @Test
  void aReadWithATxidAlreadyReachedIsServedAtOnce() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/read"), null, "Cookie", "__txid=0000000000000009");
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void malformedOrForgedTxidsAreIgnoredAndNeverEchoed() {
    for (String bad : new String[] {"<script>alert(1)</script>", "zzzzzzzzzzzzzzzz", "00000000000000001",
        "0000000000000001.0000000000000002"}) {
      HttpResponse<String> r = WebTestApp.send("GET", url("/read"), null, "Litefs-Txid", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(200);
      assertThat(r.body()).doesNotContain(bad);
      assertThat(WebTestApp.allHeaderValues(r)).noneMatch(v -> v.contains(bad));
    }
  }

  @Test
  void nonAsciiTxidsInCookiesAndHeadersAreIgnored() {
    String arabicDigits = "\u0661".repeat(16);
    String viaHeader = WebTestApp.rawGet(port, "/read", "Litefs-Txid: " + arabicDigits);
    assertThat(viaHeader).startsWith("HTTP/1.1 200").endsWith("read on node2");
    String viaCookie = WebTestApp.rawGet(port, "/read", "Cookie: __txid=" + arabicDigits);
    assertThat(viaCookie).startsWith("HTTP/1.1 200").endsWith("read on node2");
  }

  @Test
  void anAlreadyReplayedReadStillBehindIsNotBouncedAgain() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/read"), null, "Litefs-Txid", "0000000000000063",
        "fly-replay-src", "instance=0000;state=txid-timeout");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
  }
}
