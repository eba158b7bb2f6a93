package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outside Fly.io: a replica application forwards what needs the primary to a second, real application running
 * on a simulated primary mount, and streams the answer back (cookie included).
 */
@SpringBootTest(classes = WebTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForwardModeWebTests {
  static final FakeLiteFs primaryMount = FakeLiteFs.primary();
  static final FakeLiteFs replicaMount = FakeLiteFs.replica("127.0.0.1");
  static ConfigurableApplicationContext primaryApp;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    primaryApp = new SpringApplicationBuilder(WebTestApp.class)
        .properties(primaryMount.propertyArray("app.db"))
        .properties("server.port=0", "spring.main.banner-mode=off")
        .run();
    int primaryPort = ((WebServerApplicationContext) primaryApp).getWebServer().getPort();
    replicaMount.properties("app.db").forEach((k, v) -> registry.add(k, () -> v));
    registry.add("litefs.replay.mode", () -> "forward");
    registry.add("litefs.replay.primary-url-template", () -> "http://{hostname}:" + primaryPort);
  }

  @AfterAll
  static void close() {
    primaryApp.close();
    primaryMount.close();
    replicaMount.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  WebTestApp.Api replicaApi;

  @BeforeEach
  void reset() {
    replicaApi.executed.set(0);
    primaryApp.getBean(WebTestApp.Api.class).executed.set(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void aPrimaryOnlyWriteIsForwardedAndThePrimarysAnswerComesBack() {
    HttpResponse<String> r = WebTestApp.send("POST", url("/items?x=1"), "{\"a\":1}", "Content-Type", "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("created ");
    assertThat(replicaApi.executed).hasValue(0);
    assertThat(primaryApp.getBean(WebTestApp.Api.class).executed).hasValue(1);
    assertThat(r.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("__txid="));
    assertThat(r.headers().firstValue("fly-replay")).isEmpty();
  }

  @Test
  void aBodyTheHandlerAlreadyReadIsForwardedWhole() {
    String body = "x".repeat(50_000);
    HttpResponse<String> r = WebTestApp.send("POST", url("/echo"), body, "Content-Type", "text/plain");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("echo " + body);
    assertThat(replicaApi.executed).hasValue(0);
  }

  @Test
  void aGetThatSeedsIsForwarded() {
    HttpResponse<String> r = WebTestApp.send("GET", url("/items/missing"), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("seeded ");
  }

  @Test
  void aForwardedRequestThatLandsOnAReplicaIsNotForwardedAgain() {
    HttpResponse<String> r = WebTestApp.send("POST", url("/items"), "x", "Litefs-Forwarded", "instance=node9;state=primary-only");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(primaryApp.getBean(WebTestApp.Api.class).executed).hasValue(0);
  }

  @Test
  void anUnreachablePrimaryAnswersServiceUnavailable() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    PrimaryForwarder forwarder = new PrimaryForwarder("http://{hostname}:" + closedPort, "node2",
        java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5));
    org.springframework.mock.web.MockHttpServletRequest request =
        new org.springframework.mock.web.MockHttpServletRequest("POST", "/items");
    org.springframework.mock.web.MockHttpServletResponse response = new org.springframework.mock.web.MockHttpServletResponse();
    forwarder.forward(request, response, "127.0.0.1", PrimaryRouter.PRIMARY_ONLY);
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
  }
}
