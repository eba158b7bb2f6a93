package dev.litefs.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends requests to nodes. A node that refuses the connection is skipped for the next candidate, and the
 * candidates are tried again until the time allowed runs out, as Fly's proxy retries a Machine that is starting
 * or restarting; a node that took the request and then failed is never sent it again.
 */
final class Upstream {
  private final HttpClient client;
  private final Duration retryInterval;

  Upstream(Duration connectTimeout, Duration retryInterval) {
    // HTTP/1.1: the nodes are plain app servers, and the JDK client would otherwise try an h2c upgrade.
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build();
    this.retryInterval = retryInterval;
  }

  /**
   * Sends {@code request} to the first of {@code candidates} that accepts the connection, retrying them until
   * {@code within} has passed (once only when the body cannot be sent twice).
   *
   * @param edgeHeaders headers the edge sets, replacing any of the same name
   * @param timeoutGiven whether {@code within} came from a {@code timeout} field, which names the failure
   */
  Delivery send(IncomingRequest request, List<Node> candidates, Map<String, String> edgeHeaders, Duration within,
      boolean timeoutGiven) throws IOException {
    if (candidates.isEmpty()) {
      return new Delivery.Unreachable("no_candidate", List.of());
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      for (Node node : candidates) {
        try {
          return new Delivery.Answered(node, client.send(build(node, request, edgeHeaders),
              BodyHandlers.ofInputStream()));
        } catch (ConnectException | HttpConnectTimeoutException refused) {
          if (!request.replayable()) {
            return new Delivery.Unreachable("retries_exhausted", List.of(node));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while sending to " + node.id());
        } catch (IOException e) {
          return new Delivery.Broken(node, e);
        }
      }
      if (System.nanoTime() + retryInterval.toNanos() > deadline) {
        return new Delivery.Unreachable(timeoutGiven ? "timeout" : "retries_exhausted", candidates);
      }
      pause();
    }
  }

  private HttpRequest build(Node node, IncomingRequest request, Map<String, String> edgeHeaders) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(node.url() + request.pathAndQuery))
        .method(request.method, request.body());
    List<String> replaced = new ArrayList<>();
    edgeHeaders.keySet().forEach(name -> replaced.add(name.toLowerCase(Locale.ROOT)));
    for (Map.Entry<String, String> header : request.headers) {
      if (!replaced.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        addIfAccepted(builder, header.getKey(), header.getValue());
      }
    }
    edgeHeaders.forEach((name, value) -> addIfAccepted(builder, name, value));
    return builder.build();
  }

  // The JDK client refuses names and values it considers invalid: such a header cannot be sent with it, and is
  // left out rather than failing the whole request.
  private static void addIfAccepted(HttpRequest.Builder builder, String name, String value) {
    try {
      builder.header(name, value);
    } catch (IllegalArgumentException refused) {
      return;
    }
  }

  private void pause() throws InterruptedIOException {
    try {
      Thread.sleep(retryInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** Reads and drops a response body that will not be sent on (a fly-replay answer), so the connection is reused. */
  static void discard(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // The connection is closed instead of reused; nothing is lost.
    }
  }
}
