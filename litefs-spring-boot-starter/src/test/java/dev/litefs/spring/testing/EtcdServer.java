package dev.litefs.spring.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd (Debian's {@code etcd-server}, which {@code bin/test} installs) on loopback with
 * free ports and its data in the test's directory, with election timing short enough for TTLs of a few seconds.
 * The same pattern as litefs-core's {@code EtcdProcess}, which is not visible to this module's tests.
 */
public final class EtcdServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Process process;
  private final URI clientUrl;
  private final Path log;

  private EtcdServer(Process process, URI clientUrl, Path log) {
    this.process = process;
    this.clientUrl = clientUrl;
    this.log = log;
  }

  /** Starts etcd under {@code dir} and returns once it reports itself healthy. */
  public static EtcdServer start(Path dir) throws IOException {
    Files.createDirectories(dir);
    URI clientUrl = URI.create("http://127.0.0.1:" + FreePorts.next());
    String peerUrl = "http://127.0.0.1:" + FreePorts.next();
    Path log = dir.resolve("etcd.log");
    List<String> command = List.of("etcd", "--name", "litefs-test", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrl.toString(), "--advertise-client-urls", clientUrl.toString(),
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "litefs-test=" + peerUrl,
        "--heartbeat-interval", "10", "--election-timeout", "100", "--logger", "zap", "--log-level", "warn");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException("cannot run etcd; install Debian's etcd-server (bin/test does): " + e.getMessage(), e);
    }
    EtcdServer etcd = new EtcdServer(process, clientUrl, log);
    try {
      Await.until("etcd at " + clientUrl + " to report itself healthy", Duration.ofSeconds(20), etcd::healthy);
    } catch (AssertionError e) {
      etcd.close();
      throw new AssertionError(e.getMessage() + "; etcd log:\n" + Files.readString(log, StandardCharsets.UTF_8), e);
    }
    return etcd;
  }

  public URI clientUrl() {
    return clientUrl;
  }

  /** Stops etcd (SIGTERM, then SIGKILL after 5 s) and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private boolean healthy() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("etcd exited with status " + process.exitValue());
    }
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(clientUrl.resolve("/health"))
        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
    return health.statusCode() == 200 && health.body().contains("\"health\":\"true\"");
  }
}
