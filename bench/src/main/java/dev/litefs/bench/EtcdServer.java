package dev.litefs.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-member etcd (Debian's {@code etcd-server}) started as a child process on free loopback ports with
 * its data under a given directory. Heartbeat 10 ms and election timeout 100 ms, as the core's tests use, so
 * that short lease TTLs are honoured (etcd raises a TTL below 1.5 election timeouts).
 */
final class EtcdServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Process process;
  private final URI clientUrl;
  private final Path log;

  private EtcdServer(Process process, URI clientUrl, Path log) {
    this.process = process;
    this.clientUrl = clientUrl;
    this.log = log;
  }

  /**
   * Starts etcd with its data under {@code dir} and returns once it reports itself healthy.
   *
   * @throws IOException if {@code etcd} cannot be run (install Debian's {@code etcd-server})
   */
  static EtcdServer start(Path dir) throws IOException {
    Files.createDirectories(dir);
    URI clientUrl = URI.create("http://127.0.0.1:" + EngineNode.freePort());
    String peerUrl = "http://127.0.0.1:" + EngineNode.freePort();
    Path log = dir.resolve("etcd.log");
    List<String> command = List.of("etcd", "--name", "litefs-bench", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrl.toString(), "--advertise-client-urls", clientUrl.toString(),
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "litefs-bench=" + peerUrl,
        "--heartbeat-interval", "10", "--election-timeout", "100", "--logger", "zap", "--log-level", "warn");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException("cannot run etcd; install Debian's etcd-server: " + e.getMessage(), e);
    }
    EtcdServer etcd = new EtcdServer(process, clientUrl, log);
    try {
      Wait.until("etcd at " + clientUrl + " to report itself healthy (log: " + log + ")", Duration.ofSeconds(30),
          etcd::healthy);
    } catch (RuntimeException e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  URI clientUrl() {
    return clientUrl;
  }

  private boolean healthy() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("etcd exited with status " + process.exitValue() + "; see " + log);
    }
    HttpResponse<String> health = HTTP.send(
        HttpRequest.newBuilder(clientUrl.resolve("/health")).timeout(Duration.ofSeconds(1)).build(),
        HttpResponse.BodyHandlers.ofString());
    return health.statusCode() == 200 && health.body().contains("\"health\":\"true\"");
  }

  /** Stops etcd (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
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
}
