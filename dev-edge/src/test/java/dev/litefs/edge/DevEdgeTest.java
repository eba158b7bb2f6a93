package dev.litefs.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.edge.TestNode.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge between a real client and real HTTP servers standing in for the nodes, all on 127.0.0.1. */
class DevEdgeTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final long NOW_MICROS = NOW.getEpochSecond() * 1_000_000 + 123_456;

  private final List<AutoCloseable> running = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private DevEdge edge;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  private TestNode node(String id) throws IOException {
    TestNode node = TestNode.start(id);
    running.add(node);
    return node;
  }

  /** Starts the edge over {@code nodes}, each given as node then region. */
  private void edgeWithBodyLimit(int maxReplayBody, Object... nodesAndRegions) throws IOException {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < nodesAndRegions.length; i += 2) {
      TestNode node = (TestNode) nodesAndRegions[i];
      nodes.add(new Node(node.id, node.url(), (String) nodesAndRegions[i + 1]));
    }
    EdgeConfig config = new EdgeConfig(new InetSocketAddress("127.0.0.1", 0), nodes, Optional.of("my-app"), 5,
        Duration.ofMillis(300), maxReplayBody);
    edge = DevEdge.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
    running.add(edge);
  }

  private void edge(Object... nodesAndRegions) throws IOException {
    edgeWithBodyLimit(EdgeConfig.ONE_MB, nodesAndRegions);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.address().getPort() + pathAndQuery));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String header, String value) throws IOException, InterruptedException {
    return send(request("/").header(header, value));
  }

  /** Each of {@code replicas} answers every request with {@code fly-replay: <field>}. */
  private static void replaying(String field, TestNode... replicas) {
    for (TestNode replica : replicas) {
      replica.answer(r -> Reply.replay(field));
    }
  }

  @Test
  void spreadsRequestsRoundRobinOverTheNodes() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    TestNode c = node("c");
    edge(a, "ord", b, "ord", c, "lhr");

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bodies.add(send(request("/")).body());
    }

    assertThat(bodies.subList(0, 3)).containsExactlyInAnyOrder("served by a", "served by b", "served by c");
    assertThat(bodies.subList(3, 6)).isEqualTo(bodies.subList(0, 3));
  }

  @Test
  void forceInstanceIdAlwaysReachesThatNode() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    edge(a, "ord", b, "ord");

    for (int i = 0; i < 3; i++) {
      assertThat(get("fly-force-instance-id", "b").body()).isEqualTo("served by b");
    }
    assertThat(a.requests).isEmpty();
  }

  @Test
  void forceInstanceIdThatNoNodeHasIsABadGatewayNamingTheNodes() throws Exception {
    edge(node("a"), "ord", node("b"), "ord");

    HttpResponse<String> response = get("fly-force-instance-id", "zz");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("fly-force-instance-id names zz, but no node has that ID (nodes: a, b)");
  }

  @Test
  void aMalformedForcedInstanceIsNotEchoed() throws Exception {
    edge(node("a"), "ord");

    HttpResponse<String> response = get("fly-force-instance-id", "<script>");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("fly-force-instance-id is not an instance ID").doesNotContain("<script>");
  }

  @Test
  void forcedToANodeThatIsDownIsABadGatewayAfterRetrying() throws Exception {
    TestNode a = node("a");
    TestNode down = node("down");
    edge(a, "ord", down, "ord");
    down.close();

    HttpResponse<String> response = get("fly-force-instance-id", "down");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("cannot reach fly-force-instance-id down: down refused the connection");
    assertThat(a.requests).isEmpty();
  }

  @Test
  void preferInstanceIdReachesThatNode() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    edge(a, "ord", b, "ord");

    assertThat(get("fly-prefer-instance-id", "b").body()).isEqualTo("served by b");
    assertThat(get("fly-prefer-instance-id", "b").body()).isEqualTo("served by b");
    assertThat(b.last().header("fly-preferred-instance-unavailable")).isNull();
  }

  @Test
  void preferInstanceIdOfANodeThatIsDownOrUnknownFallsBackAndSaysSo() throws Exception {
    TestNode a = node("a");
    TestNode down = node("down");
    edge(a, "ord", down, "ord");
    down.close();

    assertThat(get("fly-prefer-instance-id", "down").body()).isEqualTo("served by a");
    assertThat(a.last().header("fly-preferred-instance-unavailable")).isEqualTo("down");
    assertThat(get("fly-prefer-instance-id", "nobody").body()).isEqualTo("served by a");
    assertThat(a.last().header("fly-preferred-instance-unavailable")).isEqualTo("nobody");
  }

  @Test
  void roundRobinPassesOverANodeThatIsDown() throws Exception {
    TestNode a = node("a");
    TestNode down = node("down");
    TestNode c = node("c");
    edge(a, "ord", down, "ord", c, "ord");
    down.close();

    for (int i = 0; i < 4; i++) {
      assertThat(send(request("/")).statusCode()).isEqualTo(200);
    }
    assertThat(a.requests.size() + c.requests.size()).isEqualTo(4);
  }

  @Test
  void aReplayByInstanceSendsTheSameRequestBodyIncludedAndOnlyItsAnswerReachesTheClient() throws Exception {
    TestNode a = node("a");
    TestNode primary = node("primary");
    TestNode c = node("c");
    edge(a, "ord", primary, "ord", c, "lhr");
    replaying("instance=primary", a, c);
    primary.answer(r -> new Reply(201, Map.of("Location", "/things/7"), "created"));

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = send(request("/things?x=1&y=%2F").header("X-Custom", "kept")
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"n\":" + i + "}")));

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.body()).isEqualTo("created");
      assertThat(response.headers().firstValue("location")).hasValue("/things/7");
      assertThat(response.headers().firstValue("fly-replay")).isEmpty();
      TestNode.Recorded replayed = primary.last();
      assertThat(replayed.method()).isEqualTo("POST");
      assertThat(replayed.pathAndQuery()).isEqualTo("/things?x=1&y=%2F");
      assertThat(replayed.body()).isEqualTo("{\"n\":" + i + "}");
      assertThat(replayed.header("X-Custom")).isEqualTo("kept");
      assertThat(replayed.header("Content-Type")).isEqualTo("application/json");
    }
    assertThat(primary.requests).hasSize(3);
    assertThat(a.requests.size() + c.requests.size()).isEqualTo(2);
  }

  @Test
  void aReplayIsFollowedEvenWhenTheRequestWasForcedToAnInstance() throws Exception {
    TestNode replica = node("replica");
    TestNode primary = node("primary");
    edge(replica, "lhr", primary, "ord");
    replaying("instance=primary;state=primary-only", replica);

    HttpResponse<String> response = get("fly-force-instance-id", "replica");

    assertThat(response.body()).isEqualTo("served by primary");
    assertThat(replica.requests).hasSize(1);
  }

  @Test
  void flyReplaySrcNamesTheReplayingNodeItsRegionTheTimeInMicrosecondsAndTheState() throws Exception {
    TestNode replica = node("replica");
    TestNode primary = node("primary");
    edge(replica, "lhr", primary, "ord");
    replica.answer(r -> Reply.replay("instance=primary;state=primary-only;timeout=5s;fallback=prefer_self"));

    get("fly-force-instance-id", "replica");

    assertThat(primary.last().header("fly-replay-src"))
        .isEqualTo("instance=replica;region=lhr;t=" + NOW_MICROS + ";state=primary-only");
    assertThat(primary.last().header("fly-replay-failed")).isNull();
  }

  @Test
  void flyReplaySrcHasNoStateWhenTheReplayGaveNone() throws Exception {
    TestNode replica = node("replica");
    TestNode primary = node("primary");
    edge(replica, "lhr", primary, "ord");
    replica.answer(r -> Reply.replay("instance=primary"));

    get("fly-force-instance-id", "replica");

    assertThat(primary.last().header("fly-replay-src")).isEqualTo("instance=replica;region=lhr;t=" + NOW_MICROS);
  }

  @Test
  void aClientCannotForgeTheHeadersOnlyTheEdgeSets() throws Exception {
    TestNode a = node("a");
    edge(a, "ord");

    send(request("/").header("fly-replay-src", "instance=forged").header("fly-replay-failed", "x")
        .header("Fly-Client-IP", "6.6.6.6"));

    assertThat(a.last().header("fly-replay-src")).isNull();
    assertThat(a.last().header("fly-replay-failed")).isNull();
    assertThat(a.last().header("Fly-Client-IP")).isEqualTo("127.0.0.1");
  }

  @Test
  void setsTheForwardingHeadersFlysProxySets() throws Exception {
    TestNode a = node("a");
    edge(a, "ord");

    send(request("/").header("X-Forwarded-For", "10.9.8.7"));

    int port = edge.address().getPort();
    assertThat(a.last().header("X-Forwarded-For")).isEqualTo("10.9.8.7, 127.0.0.1");
    assertThat(a.last().header("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(a.last().header("X-Forwarded-Port")).isEqualTo(Integer.toString(port));
    assertThat(a.last().header("Fly-Forwarded-Port")).isEqualTo(Integer.toString(port));
    assertThat(a.last().header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
  }

  @Test
  void aReplayByRegionGoesToANodeOfThatRegion() throws Exception {
    TestNode replica = node("replica");
    TestNode ord1 = node("ord1");
    TestNode ord2 = node("ord2");
    edge(replica, "lhr", ord1, "ord", ord2, "ord");
    replica.answer(r -> Reply.replay("region=ord"));

    for (int i = 0; i < 4; i++) {
      assertThat(get("fly-force-instance-id", "replica").body()).startsWith("served by ord");
    }
    assertThat(ord1.requests).hasSize(2);
    assertThat(ord2.requests).hasSize(2);
  }

  @Test
  void aQuotedRegionListIsTriedInOrder() throws Exception {
    TestNode replica = node("replica");
    TestNode ord = node("ord1");
    TestNode ams = node("ams1");
    edge(replica, "lhr", ord, "ord", ams, "ams");
    replica.answer(r -> Reply.replay("region=\"iad,ams,ord\""));

    assertThat(get("fly-force-instance-id", "replica").body()).isEqualTo("served by ams1");
  }

  @Test
  void elsewhereSendsTheReplayToAnotherNodeThanTheOneThatAnswered() throws Exception {
    TestNode busy = node("busy");
    TestNode other = node("other");
    edge(busy, "ord", other, "ord");
    busy.answer(r -> Reply.replay("elsewhere=true"));

    for (int i = 0; i < 3; i++) {
      assertThat(get("fly-force-instance-id", "busy").body()).isEqualTo("served by other");
    }
  }

  @Test
  void aReplayToAPreferredInstanceThatIsDownGoesElsewhereAndSaysSo() throws Exception {
    TestNode replica = node("replica");
    TestNode down = node("down");
    TestNode other = node("other");
    edge(replica, "lhr", down, "ord", other, "ord");
    down.close();
    replica.answer(r -> Reply.replay("prefer_instance=down;elsewhere=true"));

    assertThat(get("fly-force-instance-id", "replica").body()).isEqualTo("served by other");
    assertThat(other.last().header("fly-preferred-instance-unavailable")).isEqualTo("down");
  }

  @Test
  void aReplayLoopIsCutAfterTheReplayLimit() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    edge(a, "ord", b, "ord");
    a.answer(r -> Reply.replay("instance=b"));
    b.answer(r -> Reply.replay("instance=a"));

    HttpResponse<String> response = get("fly-force-instance-id", "a");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("gave up after 5 replays, a loop? a -> b -> a -> b -> a -> b");
    assertThat(a.requests.size() + b.requests.size()).isEqualTo(6);
  }

  @Test
  void aReplayToAnInstanceThatIsDownIsABadGatewayWithoutAFallback() throws Exception {
    TestNode replica = node("replica");
    TestNode primary = node("primary");
    edge(replica, "lhr", primary, "ord");
    primary.close();
    replica.answer(r -> Reply.replay("instance=primary;timeout=200ms"));

    HttpResponse<String> response = get("fly-force-instance-id", "replica");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body())
        .contains("cannot reach the replay from replica to instance primary: primary refused the connection (timeout)");
  }

  @Test
  void preferSelfBringsAFailedReplayBackToTheNodeWithFlyReplayFailed() throws Exception {
    TestNode replica = node("replica");
    TestNode primary = node("primary");
    edge(replica, "lhr", primary, "ord");
    primary.close();
    replica.answer(r -> r.header("fly-replay-failed") != null
        ? new Reply(503, Map.of("Retry-After", "1"), "primary unreachable")
        : Reply.replay("instance=primary;state=primary-only;timeout=200ms;fallback=prefer_self"));

    HttpResponse<String> response = get("fly-force-instance-id", "replica");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("primary unreachable");
    String failed = replica.last().header("fly-replay-failed");
    assertThat(failed).startsWith("instance=primary;replay_source=replica;reason=timeout;elapsed_ms=");
    assertThat(replica.last().header("fly-replay-src")).startsWith("instance=replica;region=lhr;");
  }

  @Test
  void aReplayToAnUnknownInstanceFallsBackWithNoCandidate() throws Exception {
    TestNode replica = node("replica");
    edge(replica, "lhr", node("other"), "ord");
    replica.answer(r -> r.header("fly-replay-failed") != null
        ? new Reply(503, Map.of(), "no primary")
        : Reply.replay("instance=gone;fallback=force_self"));

    assertThat(get("fly-force-instance-id", "replica").body()).isEqualTo("no primary");
    assertThat(replica.last().header("fly-replay-failed"))
        .startsWith("instance=gone;replay_source=replica;reason=no_candidate;elapsed_ms=");
  }

  @Test
  void aFallbackDeliveryCannotReplayAgain() throws Exception {
    TestNode replica = node("replica");
    edge(replica, "lhr");
    replica.answer(r -> Reply.replay("instance=gone;fallback=force_self"));

    HttpResponse<String> response = get("fly-force-instance-id", "replica");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("answered a fallback delivery with fly-replay again");
    assertThat(replica.requests).hasSize(2);
  }

  @Test
  void aMalformedFlyReplayIsABadGateway() throws Exception {
    TestNode replica = node("replica");
    edge(replica, "lhr");
    replica.answer(r -> Reply.replay("instance=has space"));

    HttpResponse<String> response = send(request("/"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body())
        .contains("node replica answered with a fly-replay header that cannot be followed: its instance field is malformed")
        .doesNotContain("has space");
  }

  @Test
  void aReplayToAnotherAppIsABadGateway() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    edge(a, "ord", b, "ord");
    b.answer(r -> Reply.replay("app=my-app;instance=a"));
    a.answer(r -> r.header("fly-replay-src") == null ? Reply.replay("app=other-app") : new Reply(200, Map.of(), "ok"));

    assertThat(get("fly-force-instance-id", "a").body()).contains("replayed to app other-app, but the dev edge serves one app, my-app");
    assertThat(get("fly-force-instance-id", "b").body()).isEqualTo("ok");
  }

  @Test
  void aJsonReplayIsRefusedRatherThanPassedOn() throws Exception {
    TestNode a = node("a");
    edge(a, "ord");
    a.answer(r -> new Reply(200, Map.of("Content-Type", "application/vnd.fly.replay+json"), "{\"instance\":\"a\"}"));

    HttpResponse<String> response = send(request("/"));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("does not support; use the fly-replay header");
  }

  @Test
  void aBodyOverTheReplayLimitIsForwardedWholeButNotReplayed() throws Exception {
    TestNode plain = node("plain");
    TestNode replaying = node("replaying");
    edgeWithBodyLimit(16, plain, "ord", replaying, "ord");
    replaying.answer(r -> Reply.replay("instance=plain"));
    String big = "x".repeat(100_000);

    HttpResponse<String> forwarded = send(request("/upload").header("fly-force-instance-id", "plain")
        .POST(BodyPublishers.ofString(big)));
    HttpResponse<String> refused = send(request("/upload").header("fly-force-instance-id", "replaying")
        .POST(BodyPublishers.ofString(big)));

    assertThat(forwarded.statusCode()).isEqualTo(200);
    assertThat(plain.last().body()).isEqualTo(big);
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(refused.body()).contains("the request body is over 1 MB, which Fly cannot replay either");
    assertThat(plain.requests).hasSize(1);
  }

  @Test
  void hopByHopHeadersStayOnTheirOwnConnection() throws Exception {
    TestNode a = node("a");
    edge(a, "ord");
    a.answer(r -> new Reply(200, Map.of("Connection", "X-Node-Hop", "X-Node-Hop", "1", "Keep-Alive", "timeout=5",
        "X-End-To-End", "yes"), "ok"));

    String response = rawGet("Connection: X-Client-Hop\r\nX-Client-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
        + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\nX-Kept: yes\r\n");

    assertThat(a.last().header("X-Kept")).isEqualTo("yes");
    for (String hop : List.of("X-Client-Hop", "Keep-Alive", "Proxy-Authorization", "TE", "Connection")) {
      assertThat(a.last().header(hop)).as(hop).isNull();
    }
    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head).contains("x-end-to-end: yes").doesNotContain("x-node-hop").doesNotContain("keep-alive");
  }

  // The JDK client will not send Connection or Keep-Alive itself: write the request by hand.
  private String rawGet(String headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", edge.address().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: edge\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder response = new StringBuilder();
      while (!response.toString().endsWith("\r\n\r\nok")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        response.append((char) c);
      }
      return response.toString();
    }
  }
}
