package dev.litefs.core.lease;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP calls of the Consul and etcd backends, over the JDK's client: HTTP/1.1, bounded connect and request
 * times, and failures turned into {@link LeaseException}s that name the backend, key, method and URL (never a
 * token: tokens travel in headers).
 */
final class LeaseHttp {
  /** An HTTP answer, whatever its status. */
  record Reply(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(5);

  private final String backend;
  private final String key;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param ttl the lease TTL: a request may take half of it (at least 1s, at most 5s), so that a hung server
   *     leaves time to retry a renewal before the lease runs out
   */
  LeaseHttp(String backend, String key, Duration ttl) {
    this.backend = backend;
    this.key = key;
    this.timeout = clamp(ttl.dividedBy(2));
    // HTTP/1.1: the JDK's default (an h2c upgrade) is not what Consul or etcd's gateway expect.
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  /**
   * Sends one request and returns the answer, whatever its status.
   *
   * @param body the request body, or {@code null} for none
   * @throws LeaseServerUnreachableException if no connection could be made (the request was not sent)
   * @throws LeaseException on any other I/O failure or timeout, or if interrupted (the interrupt flag is kept)
   */
  Reply send(String method, URI uri, byte[] body, Map<String, String> headers) throws LeaseException {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher);
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.body());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new LeaseServerUnreachableException(backend, key, method + " " + uri + ": cannot connect: " + e, e);
    } catch (IOException e) {
      throw new LeaseException(backend, key, method + " " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeaseException(backend, key, method + " " + uri + " interrupted", e);
    }
  }

  private static Duration clamp(Duration d) {
    return d.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : d.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : d;
  }
}
