package dev.litefs.edge;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One client request, end to end: pick a node, forward, and while the node answers with {@code fly-replay},
 * send the same request (same method, path, headers and body) where the answer says, with
 * {@code fly-replay-src}; the client only ever sees the final answer. A replay is followed whatever routed the
 * request before it, {@code fly-force-instance-id} included, as on Fly.
 */
final class EdgeHandler implements HttpHandler {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
  private static final String REPLAY = "fly-replay";
  private static final String REPLAY_JSON = "application/vnd.fly.replay+json";

  private final Cluster cluster;
  private final EdgeConfig config;
  private final Upstream upstream;
  private final Clock clock;

  EdgeHandler(Cluster cluster, EdgeConfig config, Upstream upstream, Clock clock) {
    this.cluster = cluster;
    this.config = config;
    this.upstream = upstream;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      HttpResponse<InputStream> answer;
      try {
        answer = route(exchange);
      } catch (EdgeError e) {
        byte[] body = ("litefs-edge: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(502, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      relay(answer, exchange);
    }
  }

  private HttpResponse<InputStream> route(HttpExchange exchange) throws IOException, EdgeError {
    IncomingRequest request = IncomingRequest.read(exchange, config.maxReplayBody());
    Map<String, String> headers = forwardedHeaders(exchange);
    Headers in = exchange.getRequestHeaders();
    Targets first = Targets.forRequest(cluster, in.getFirst(Targets.FORCE_INSTANCE),
        in.getFirst(Targets.PREFER_INSTANCE));
    Delivery.Answered answered = answered(send(request, first, headers, config.retryWindow(), false),
        first.description());
    List<String> path = new ArrayList<>(List.of(answered.node().id()));
    boolean fallback = false;
    while (replayOf(answered).isPresent()) {
      Node from = answered.node();
      String header = replayOf(answered).get();
      Upstream.discard(answered.response());
      if (fallback) {
        throw new EdgeError("node " + from.id() + " answered a fallback delivery with fly-replay again, which Fly "
            + "does not follow; a node that gets fly-replay-failed must answer the request itself");
      }
      if (!request.replayable()) {
        throw new EdgeError("node " + from.id() + " answered with fly-replay, but the request body is over 1 MB, "
            + "which Fly cannot replay either; send such requests to the primary with fly-force-instance-id");
      }
      if (path.size() > config.maxReplays()) {
        throw new EdgeError("gave up after " + config.maxReplays() + " replays, a loop? " + String.join(" -> ", path));
      }
      FlyReplay replay = parse(header, from);
      Map<String, String> replayHeaders = new LinkedHashMap<>(headers);
      replayHeaders.put(ReplayHeaders.SRC, ReplayHeaders.source(from, replay, clock));
      Targets targets = Targets.forReplay(cluster, replay, from, config.app());
      long started = System.nanoTime();
      Delivery delivery = send(request, targets, replayHeaders, replay.timeout().orElse(config.retryWindow()),
          replay.timeout().isPresent());
      if (delivery instanceof Delivery.Unreachable unreachable && replay.fallback() != FlyReplay.Fallback.NONE) {
        long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();
        replayHeaders.put(ReplayHeaders.FAILED, ReplayHeaders.failed(from, replay, unreachable.reason(), elapsed));
        List<Node> back = new ArrayList<>(List.of(from));
        if (replay.fallback() == FlyReplay.Fallback.PREFER_SELF) {
          cluster.inTurn(cluster.nodes()).stream().filter(n -> !n.equals(from)).forEach(back::add);
        }
        delivery = upstream.send(request, back, replayHeaders, config.retryWindow(), false);
        fallback = true;
      }
      answered = answered(delivery, "the replay from " + from.id() + " to " + targets.description());
      path.add(answered.node().id());
    }
    return answered.response();
  }

  private Delivery send(IncomingRequest request, Targets targets, Map<String, String> headers, Duration within,
      boolean timeoutGiven) throws IOException {
    if (targets.preferred().isPresent()) {
      // One try: a preferred Machine that cannot take the request is passed over at once.
      Delivery delivery = upstream.send(request, List.of(targets.preferred().get()), headers, Duration.ZERO, false);
      if (!(delivery instanceof Delivery.Unreachable)) {
        return delivery;
      }
    }
    Map<String, String> withPreference = headers;
    if (targets.preferredId().isPresent()) {
      withPreference = new LinkedHashMap<>(headers);
      withPreference.put(ReplayHeaders.PREFERRED_UNAVAILABLE, targets.preferredId().get());
    }
    return upstream.send(request, targets.candidates(), withPreference, within, timeoutGiven);
  }

  private Delivery.Answered answered(Delivery delivery, String wanted) throws EdgeError {
    if (delivery instanceof Delivery.Answered answered) {
      return answered;
    }
    if (delivery instanceof Delivery.Broken broken) {
      throw new EdgeError("node " + broken.node().id() + " failed while answering (" + broken.cause() + "); "
          + "the request is not sent elsewhere, since the node may have acted on it");
    }
    Delivery.Unreachable unreachable = (Delivery.Unreachable) delivery;
    if (unreachable.tried().isEmpty()) {
      throw new EdgeError("no node for " + wanted + " (nodes: " + cluster.ids() + ")");
    }
    List<String> ids = unreachable.tried().stream().map(Node::id).toList();
    throw new EdgeError("cannot reach " + wanted + ": " + String.join(", ", ids) + " refused the connection ("
        + unreachable.reason() + "); is the node running?");
  }

  private static Optional<String> replayOf(Delivery.Answered answered) throws EdgeError {
    Optional<String> contentType = answered.response().headers().firstValue("content-type");
    if (contentType.isPresent() && contentType.get().toLowerCase(Locale.ROOT).startsWith(REPLAY_JSON)) {
      throw new EdgeError("node " + answered.node().id() + " answered with a JSON replay (" + REPLAY_JSON
          + "), which the dev edge does not support; use the fly-replay header");
    }
    return answered.response().headers().firstValue(REPLAY);
  }

  private static FlyReplay parse(String header, Node from) throws EdgeError {
    try {
      return FlyReplay.parse(header);
    } catch (IllegalArgumentException e) {
      throw new EdgeError("node " + from.id() + " answered with a fly-replay header that cannot be followed: "
          + e.getMessage());
    }
  }

  // What Fly's proxy tells the app about the client (docs: networking/request-headers).
  private Map<String, String> forwardedHeaders(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    String client = exchange.getRemoteAddress().getAddress().getHostAddress();
    String port = Integer.toString(exchange.getLocalAddress().getPort());
    String priorHops = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
    headers.put("Fly-Client-IP", client);
    headers.put("Fly-Forwarded-Port", port);
    headers.put("X-Forwarded-For", priorHops == null ? client : priorHops + ", " + client);
    headers.put("X-Forwarded-Proto", "http");
    headers.put("X-Forwarded-Port", port);
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null) {
      headers.put("X-Forwarded-Host", host);
    }
    return headers;
  }

  private static void relay(HttpResponse<InputStream> answer, HttpExchange exchange) throws IOException {
    Set<String> dropped = new HashSet<>(HOP_BY_HOP);
    dropped.add("content-length");
    answer.headers().allValues("connection").forEach(value -> {
      for (String token : value.split(",")) {
        dropped.add(token.trim().toLowerCase(Locale.ROOT));
      }
    });
    answer.headers().map().forEach((name, values) -> {
      if (!dropped.contains(name.toLowerCase(Locale.ROOT))) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    int status = answer.statusCode();
    boolean noBody = exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
    // The JDK server's lengths: -1 for no body, 0 for chunked (length unknown), n for exactly n bytes.
    long length = answer.headers().firstValueAsLong("content-length").orElse(0);
    boolean empty = noBody || answer.headers().firstValue("content-length").isPresent() && length == 0;
    exchange.sendResponseHeaders(status, empty ? -1 : length);
    try (InputStream body = answer.body()) {
      if (noBody) {
        body.transferTo(OutputStream.nullOutputStream());
        return;
      }
      OutputStream out = exchange.getResponseBody();
      byte[] buffer = new byte[8192];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        // Flushed per read, so that a streamed answer (server-sent events, LiteFS's /events) is not held back.
        out.flush();
      }
    }
  }
}
