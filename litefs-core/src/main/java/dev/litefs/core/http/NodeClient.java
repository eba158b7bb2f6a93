package dev.litefs.core.http;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.node.PrimaryConnector;
import dev.litefs.core.replication.PosMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Calls node APIs (ours or LiteFS's) over h2c with prior knowledge, as LiteFS's Go client does: a replica's
 * {@code /stream}, {@code /handoff}, and the CLI's {@code /import} and {@code /export}. Sends {@code Litefs-Id}
 * and, when configured, {@code Authorization: Bearer <token>}.
 */
public final class NodeClient implements PrimaryConnector, AutoCloseable {
  private static final long CONNECT_TIMEOUT_MS = 5_000;
  /**
   * Direct memory the client's buffer pool keeps for reuse: more than the HTTP/2 session's receive window
   * (16 MiB), which bounds the network buffers a stream can hold at once. With Jetty's default (an eighth of the
   * heap: 8 MB in the engine's 64 MB), the buffers of a snapshot arriving faster than it is applied were dropped
   * as they came back and allocated anew; in a small heap the dropped ones reach the JVM's direct-memory limit
   * (the heap's size) before a collection frees them, and every allocation then ran a full GC (17 of them,
   * 0.5 s, in one 1 GiB snapshot).
   */
  static final long POOLED_DIRECT_BYTES = 24L << 20;

  private final HttpClient client;
  private final long nodeId;
  private final Optional<String> token;
  private final Duration silentTimeout;

  /**
   * @param silentTimeout how long a stream may send nothing (the primary heartbeats every second) before it
   *     is given up
   */
  public NodeClient(long nodeId, Optional<String> token, Duration silentTimeout) throws IOException {
    this.nodeId = nodeId;
    this.token = token;
    this.silentTimeout = silentTimeout;
    QueuedThreadPool threads = new QueuedThreadPool(64, 2);
    threads.setName("litefs-client");
    threads.setDaemon(true);
    this.client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
    client.setExecutor(threads);
    client.setByteBufferPool(new ArrayByteBufferPool(0, -1, -1, -1, 0, POOLED_DIRECT_BYTES));
    client.setConnectTimeout(CONNECT_TIMEOUT_MS);
    client.setFollowRedirects(false);
    try {
      client.start();
    } catch (Exception e) {
      throw new IOException("cannot start the HTTP client: " + e.getMessage(), e);
    }
  }

  private Request request(String method, String url) {
    Request r = client.newRequest(url).method(method)
        .headers(h -> h.put("Litefs-Id", String.format("%016X", nodeId)));
    token.ifPresent(t -> r.headers(h -> h.put("Authorization", "Bearer " + t)));
    return r;
  }

  @Override
  public Stream open(String advertiseUrl, Map<String, Pos> positions, Set<String> filter) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    PosMap.write(body, positions);
    String url = trim(advertiseUrl) + "/stream"
        + (filter.isEmpty() ? "" : "?filter=" + URLEncoder.encode(String.join(",", filter), StandardCharsets.UTF_8));
    Request r = request("POST", url).body(new BytesRequestContent(body.toByteArray()))
        .idleTimeout(silentTimeout.toMillis(), TimeUnit.MILLISECONDS);
    InputStreamResponseListener listener = new InputStreamResponseListener();
    r.send(listener);
    Response response;
    try {
      response = listener.get(CONNECT_TIMEOUT_MS + silentTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      r.abort(e);
      throw new IOException("interrupted connecting to " + url, e);
    } catch (TimeoutException | ExecutionException e) {
      r.abort(e);
      throw new IOException("cannot connect to " + url + ": " + rootMessage(e), e);
    }
    InputStream in = listener.getInputStream();
    if (response.getStatus() != 200) {
      String text = new String(in.readNBytes(512), StandardCharsets.UTF_8).trim();
      in.close();
      throw new IOException("primary at " + advertiseUrl + " answered " + response.getStatus() + ": " + text);
    }
    Optional<String> clusterId = Optional.ofNullable(response.getHeaders().get("Litefs-Cluster-Id"));
    return new Stream() {
      @Override
      public InputStream body() {
        return in;
      }

      @Override
      public Optional<String> clusterId() {
        return clusterId;
      }

      @Override
      public void close() {
        r.abort(new IOException("stream closed"));
        try {
          in.close();
        } catch (IOException e) {
          // already aborted
        }
      }
    };
  }

  @Override
  public void requestHandoff(String advertiseUrl, long target) throws IOException {
    expectOk(send(request("POST", trim(advertiseUrl) + "/handoff?nodeID=" + String.format("%016X", target))));
  }

  @Override
  public dev.litefs.core.node.HaltLock halt(String url, String db, long id) throws IOException {
    ContentResponse r = send(request("POST", trim(url) + "/halt?name=" + URLEncoder.encode(db, StandardCharsets.UTF_8)
        + "&id=" + id).timeout(30, TimeUnit.SECONDS));
    expectOk(r);
    return HaltLockJson.parse(db, r.getContentAsString());
  }

  @Override
  public void unhalt(String url, String db, long id) throws IOException {
    expectOk(send(request("DELETE", trim(url) + "/halt?name=" + URLEncoder.encode(db, StandardCharsets.UTF_8)
        + "&id=" + id).timeout(30, TimeUnit.SECONDS)));
  }

  @Override
  public void forwardTransaction(String url, String db, long id, Path ltx) throws IOException {
    expectOk(send(request("POST", trim(url) + "/tx?name=" + URLEncoder.encode(db, StandardCharsets.UTF_8)
        + "&lockID=" + id).body(new PathRequestContent(ltx)).timeout(30, TimeUnit.SECONDS)));
  }

  /** {@code POST /import}: replaces database {@code name} on the primary at {@code url} with a SQLite file. */
  public void importDatabase(String url, String name, Path file) throws IOException {
    expectOk(send(request("POST", trim(url) + "/import?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
        .body(new PathRequestContent(file)).timeout(1, TimeUnit.HOURS)));
  }

  /** {@code GET /export}: the database's committed content as a SQLite file. */
  public InputStream exportDatabase(String url, String name) throws IOException {
    Request r = request("GET", trim(url) + "/export?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
        .idleTimeout(60, TimeUnit.SECONDS);
    InputStreamResponseListener listener = new InputStreamResponseListener();
    r.send(listener);
    try {
      Response response = listener.get(30, TimeUnit.SECONDS);
      InputStream in = listener.getInputStream();
      if (response.getStatus() != 200) {
        String text = new String(in.readNBytes(512), StandardCharsets.UTF_8).trim();
        in.close();
        throw new IOException(url + " answered " + response.getStatus() + ": " + text);
      }
      return in;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException("cannot reach " + url + ": " + rootMessage(e), e);
    }
  }

  private static ContentResponse send(Request r) throws IOException {
    try {
      return r.send();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException("cannot reach " + r.getURI() + ": " + rootMessage(e), e);
    }
  }

  private static void expectOk(ContentResponse r) throws IOException {
    if (r.getStatus() != 200) {
      throw new IOException(r.getRequest().getURI() + " answered " + r.getStatus() + ": " + r.getContentAsString().trim());
    }
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
