package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A real web application on a simulated LiteFS primary with two databases. */
@SpringBootTest(classes = WebTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrimaryRoutingWebTests {
  static final FakeLiteFs fake = FakeLiteFs.primary();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    fake.properties("app.db", "cache.db").forEach((k, v) -> registry.add(k, () -> v));
  }

  @AfterAll
  static void closeMount() {
    fake.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  WebTestApp.Api api;

  @BeforeEach
  void reset() {
    fake.commit("cache.db", 7);
    api.executed.set(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static String posTxid(String db) throws Exception {
    return Files.readString(fake.dir().resolve(db + "-pos")).substring(0, 16);
  }

  @Test
  void aPrimaryOnlyWriteRunsAndItsResponseCarriesTheTxidsOfItsCommit() throws Exception {
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(api.executed).hasValue(1);
    String token = posTxid("app.db") + "." + posTxid("cache.db");
    assertThat(r.body()).isEqualTo("created " + Long.parseLong(posTxid("app.db"), 16));
    assertThat(r.headers().allValues("Set-Cookie"))
        .containsExactly("__txid=" + token + "; Path=/; Max-Age=300; HttpOnly; SameSite=Lax");
    assertThat(r.headers().firstValue("Litefs-Txid")).contains(token);
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
  }

  @Test
  void aGetThatSeedsOnTheprimaryCarriesTheCookie() throws Exception {
    HttpResponse<String> r = WebTestApp.send("GET", url("/items/missing"), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("seeded ");
    assertThat(r.headers().firstValue("Litefs-Txid")).contains(posTxid("app.db") + "." + posTxid("cache.db"));
  }

  @Test
  void aPlainReadCarriesNoCookie() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/items/1"), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(r.headers().firstValue("Litefs-Txid")).isEmpty();
  }

  @Test
  void aForgedTxidAheadOfThePrimaryIsIgnoredThere() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/read"), null, "Litefs-Txid",
        "7fffffffffffffff.7fffffffffffffff");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Litefs-Txid")).isEmpty();
  }

  @Test
  void anUnsafeMethodIsAWriteEvenWithoutAnnotation() throws Exception {
    HttpResponse<String> r = WebTestApp.send("POST", url("/echo"), "hello", "Content-Type", "text/plain");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("echo hello");
    assertThat(r.headers().firstValue("Litefs-Txid")).contains(posTxid("app.db") + "." + posTxid("cache.db"));
  }
}
