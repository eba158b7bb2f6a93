package dev.litefs.core.http;

import dev.litefs.core.lease.LeaseException;
import dev.litefs.core.node.Node;
import dev.litefs.core.node.NotPrimaryException;
import dev.litefs.core.store.ClusterId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes node API requests. Every response carries {@code Litefs-Id} and, once known, {@code
 * Litefs-Cluster-Id}; with a token configured, a request without {@code Authorization: Bearer <token>} is
 * refused with 401 before anything is read or applied (an extension: LiteFS has no authentication).
 */
final class NodeApi extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(NodeApi.class);

  private final Node node;
  private final byte[] token;
  private final StreamEndpoint stream;
  private final EventsEndpoint events;
  private final TransferEndpoints transfer;
  private final MetricsEndpoint metrics;
  private final HaltEndpoints halts;

  NodeApi(Node node, Optional<String> token, MetricsEndpoint metrics) {
    this.node = node;
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.stream = new StreamEndpoint(node);
    this.events = new EventsEndpoint(node);
    this.transfer = new TransferEndpoints(node);
    this.metrics = metrics;
    this.halts = new HaltEndpoints(node);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    response.getHeaders().put("Litefs-Id", String.format("%016X", node.nodeId()));
    clusterId().ifPresent(id -> response.getHeaders().put("Litefs-Cluster-Id", id));
    if (token != null && !authorized(request)) {
      response.getHeaders().put("WWW-Authenticate", "Bearer realm=\"litefs\"");
      ApiResponses.error(response, callback, 401, "unauthorized");
      return true;
    }
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    Fields query = Request.extractQueryParameters(request);
    switch (path) {
      case "/stream" -> {
        if (!method.equals("POST")) {
          ApiResponses.error(response, callback, 405, "method not allowed");
        } else if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
          ApiResponses.error(response, callback, 426, "Upgrade to HTTP/2 required");
        } else {
          stream.handle(request, response, callback, query);
        }
      }
      case "/events" -> onlyGet(method, response, callback, () -> events.handle(request, response, callback));
      case "/info" -> onlyGet(method, response, callback, () -> ApiResponses.text(response, callback,
          ApiResponses.TEXT, InfoJson.of(node, clusterId())));
      case "/metrics" -> onlyGet(method, response, callback, () -> metrics.handle(response, callback));
      case "/export" -> onlyGet(method, response, callback, () -> transfer.export(request, response, callback, query));
      case "/import" -> onlyPost(method, response, callback, () -> transfer.importDatabase(request, response, callback, query));
      case "/handoff" -> onlyPost(method, response, callback, () -> handoff(response, callback, query));
      case "/promote" -> onlyPost(method, response, callback, () -> promote(response, callback));
      case "/halt", "/tx" -> halts.handle(request, response, callback, query, path);
      default -> ApiResponses.error(response, callback, 404, "404 page not found");
    }
    return true;
  }

  private boolean authorized(Request request) {
    String h = request.getHeaders().get("Authorization");
    if (h == null || !h.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(h.substring(7).getBytes(StandardCharsets.UTF_8), token);
  }

  private Optional<String> clusterId() {
    try {
      return node.store().clusterId().map(ClusterId::value);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** An endpoint body that may fail. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private static void onlyGet(String method, Response response, Callback callback, Action a) throws Exception {
    if (method.equals("GET") || method.equals("HEAD")) {
      a.run();
    } else {
      ApiResponses.error(response, callback, 405, "method not allowed");
    }
  }

  private static void onlyPost(String method, Response response, Callback callback, Action a) throws Exception {
    if (method.equals("POST")) {
      a.run();
    } else {
      ApiResponses.error(response, callback, 405, "method not allowed");
    }
  }

  private void handoff(Response response, Callback callback, Fields query) {
    long target;
    try {
      target = Long.parseUnsignedLong(String.valueOf(query.getValue("nodeID")), 16);
    } catch (NumberFormatException e) {
      ApiResponses.error(response, callback, 400, "invalid node id");
      return;
    }
    try {
      node.handoff(target);
      ApiResponses.empty(response, callback);
    } catch (NotPrimaryException e) {
      ApiResponses.error(response, callback, 503, e.getMessage());
    } catch (LeaseException e) {
      log.warn("handoff: {}", e.getMessage());
      ApiResponses.error(response, callback, 500, e.getMessage());
    }
  }

  private void promote(Response response, Callback callback) throws InterruptedException {
    if (!node.isCandidate()) {
      ApiResponses.error(response, callback, 409, "not eligible to become primary");
      return;
    }
    try {
      if (node.promote()) {
        ApiResponses.empty(response, callback);
      } else {
        ApiResponses.error(response, callback, 500, "timed out waiting to become primary");
      }
    } catch (IllegalStateException | IOException e) {
      ApiResponses.error(response, callback, 500, e.getMessage());
    }
  }
}
