package dev.litefs.edge;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A client's request as the edge forwards it: its body read into memory up to Fly's replay limit, so that it
 * can be sent again to another node, and its headers without those that belong to one connection or to the
 * edge itself.
 */
final class IncomingRequest {
  /** Hop-by-hop (RFC 9110 7.6.1), and those the JDK client sets itself and refuses to take. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "content-length", "expect");
  /** Headers only the edge sets: a client must not be able to forge a replay or its failure. */
  static final Set<String> EDGE_OWNED = Set.of("fly-replay-src", "fly-replay-failed",
      "fly-preferred-instance-unavailable", "fly-client-ip", "fly-forwarded-port");

  private static final Set<String> NO_BODY_METHODS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

  final String method;
  final String pathAndQuery;
  final List<Map.Entry<String, String>> headers;
  private final byte[] buffered;
  private final InputStream rest;

  private IncomingRequest(String method, String pathAndQuery, List<Map.Entry<String, String>> headers,
      byte[] buffered, InputStream rest) {
    this.method = method;
    this.pathAndQuery = pathAndQuery;
    this.headers = headers;
    this.buffered = buffered;
    this.rest = rest;
  }

  /** Reads the request line, the headers to forward, and up to {@code maxBuffered} bytes of its body. */
  static IncomingRequest read(HttpExchange exchange, int maxBuffered) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String path = exchange.getRequestURI().getRawPath();
    String pathAndQuery = (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    Set<String> dropped = connectionTokens(exchange);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED.contains(lower) && !EDGE_OWNED.contains(lower) && !dropped.contains(lower)) {
        values.forEach(value -> headers.add(Map.entry(name, value)));
      }
    });
    InputStream body = exchange.getRequestBody();
    byte[] buffered = body.readNBytes(maxBuffered + 1);
    boolean complete = buffered.length <= maxBuffered;
    return new IncomingRequest(exchange.getRequestMethod(), pathAndQuery, List.copyOf(headers), buffered,
        complete ? null : body);
  }

  // Headers named in Connection belong to that connection too.
  private static Set<String> connectionTokens(HttpExchange exchange) {
    Set<String> tokens = new java.util.HashSet<>();
    for (String value : exchange.getRequestHeaders().getOrDefault("Connection", List.of())) {
      for (String token : value.split(",")) {
        tokens.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return tokens;
  }

  /** Whether the whole body is in memory, so that the request can be sent more than once (a replay, a retry). */
  boolean replayable() {
    return rest == null;
  }

  /**
   * Returns the body to send. A body over the limit streams from the client and can be sent once only.
   */
  BodyPublisher body() {
    if (rest != null) {
      return BodyPublishers.ofInputStream(() -> new SequenceInputStream(new ByteArrayInputStream(buffered), rest));
    }
    if (buffered.length == 0 && NO_BODY_METHODS.contains(method)) {
      return BodyPublishers.noBody();
    }
    return BodyPublishers.ofByteArray(buffered);
  }
}
