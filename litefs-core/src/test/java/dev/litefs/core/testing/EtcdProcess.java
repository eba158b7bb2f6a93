package dev.litefs.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * A real single-member etcd (Debian's {@code etcd-server}, which {@code bin/test} installs) started as a child
 * process on loopback with free ports and its data in a test's directory. Its election timing is shortened so
 * that lease TTLs of one second are honoured (etcd's minimum TTL is 1.5 election timeouts).
 * {@link #close()} stops it; a shutdown hook stops it if the test JVM is interrupted first.
 */
public final class EtcdProcess implements AutoCloseable {
  /** How many times etcd is started on new ports after losing one to another process. */
  static final int ATTEMPTS = 5;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Process process;
  private final URI clientUrl;
  private final Path log;
  private final Thread stopOnExit;

  private EtcdProcess(Process process, URI clientUrl, Path log) {
    this.process = process;
    this.clientUrl = clientUrl;
    this.log = log;
    this.stopOnExit = new Thread(process::destroyForcibly, "stop-etcd");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts etcd with its data under {@code dir} and returns once it reports itself healthy. Its ports are
   * chosen free but only bound when etcd starts, so another process can take one in between: etcd then exits
   * saying the address is in use, and it is started again on new ports (each attempt in its own directory).
   *
   * @throws IOException if {@code etcd} cannot be run (it is not installed)
   * @throws AssertionError if it exits for another reason, loses the race {@value #ATTEMPTS} times, or does
   *     not become healthy within 20s; the message holds its log
   */
  public static EtcdProcess start(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      EtcdProcess etcd = launch(Files.createDirectories(dir.resolve("attempt-" + attempt)));
      try {
        Await.until("etcd at " + etcd.clientUrl + " to report itself healthy or exit", Duration.ofSeconds(20),
            () -> !etcd.process.isAlive() || etcd.healthy());
      } catch (AssertionError e) {
        etcd.close();
        throw new AssertionError(e.getMessage() + "; etcd log:\n" + etcd.logText(), e);
      }
      if (etcd.process.isAlive()) {
        return etcd;
      }
      etcd.close();
      String log = etcd.logText();
      if (!log.contains("address already in use") || attempt == ATTEMPTS) {
        throw new AssertionError("etcd exited with status " + etcd.process.exitValue() + " (attempt " + attempt
            + "); etcd log:\n" + log);
      }
    }
  }

  private static EtcdProcess launch(Path dir) throws IOException {
    int clientPort = freePort();
    int peerPort = freePort();
    URI clientUrl = URI.create("http://127.0.0.1:" + clientPort);
    String peerUrl = "http://127.0.0.1:" + peerPort;
    Path log = dir.resolve("etcd.log");
    List<String> command = List.of("etcd", "--name", "litefs-test", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrl.toString(), "--advertise-client-urls", clientUrl.toString(),
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "litefs-test=" + peerUrl,
        "--heartbeat-interval", "10", "--election-timeout", "100", "--logger", "zap", "--log-level", "warn");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new EtcdProcess(process, clientUrl, log);
    } catch (IOException e) {
      throw new IOException("cannot run etcd; install Debian's etcd-server (bin/test does): " + e.getMessage(), e);
    }
  }

  /** Returns the client URL, {@code http://127.0.0.1:<port>}. */
  public URI clientUrl() {
    return clientUrl;
  }

  /** Stops etcd (SIGTERM, then SIGKILL after 5s) and waits for it to exit. */
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
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
  }

  private boolean healthy() throws IOException, InterruptedException {
    HttpResponse<String> health = HTTP.send(
        HttpRequest.newBuilder(clientUrl.resolve("/health")).timeout(Duration.ofSeconds(1)).build(),
        HttpResponse.BodyHandlers.ofString());
    return health.statusCode() == 200 && health.body().contains("\"health\":\"true\"");
  }

  private String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
