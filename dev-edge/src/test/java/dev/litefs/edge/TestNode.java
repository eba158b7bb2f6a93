package dev.litefs.edge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A real HTTP server on 127.0.0.1 standing in for a node's application: records requests, answers as told. */
final class TestNode implements AutoCloseable {
  final String id;
  final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Function<Recorded, Reply> answer;

  /** A request as the node received it. */
  record Recorded(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** An answer: status, headers, body. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply replay(String flyReplay) {
      return new Reply(409, Map.of("fly-replay", flyReplay), "replay me");
    }
  }

  private TestNode(String id) throws IOException {
    this.id = id;
    this.answer = request -> new Reply(200, Map.of(), "served by " + id);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        Recorded request = new Recorded(exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
            Map.copyOf(exchange.getRequestHeaders()),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        Reply reply = answer.apply(request);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
  }

  static TestNode start(String id) throws IOException {
    return new TestNode(id);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void answer(Function<Recorded, Reply> answer) {
    this.answer = answer;
  }

  Recorded last() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
