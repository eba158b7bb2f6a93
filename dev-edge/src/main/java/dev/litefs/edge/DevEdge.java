package dev.litefs.edge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code litefs-edge}: a local stand-in for Fly.io's edge proxy, so that a cluster on one machine routes requests
 * as it would on Fly: round robin over the nodes, {@code fly-force-instance-id} and {@code fly-prefer-instance-id}
 * honoured, and every {@code fly-replay} answer followed (see docs/dev-edge.md).
 */
public final class DevEdge implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private DevEdge(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Runs the edge until the process is stopped; exits 2 on an invalid command line. */
  public static void main(String[] args) throws IOException {
    if (List.of(args).contains("--help") || List.of(args).contains("-help") || List.of(args).contains("-h")) {
      System.out.println(EdgeConfig.USAGE);
      return;
    }
    EdgeConfig config;
    try {
      config = EdgeConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("litefs-edge: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Close idle connections to the nodes before their servers do (Tomcat: 20s or more), so that a request is
    // never written into a connection the node has just closed: a POST that fails that way is not retried.
    if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      System.setProperty("jdk.httpclient.keepalive.timeout", "10");
    }
    DevEdge edge = start(config, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(edge::close, "litefs-edge-stop"));
    System.out.println("litefs-edge: listening on http://" + hostAndPort(edge.address()) + " for "
        + config.nodes());
  }

  /** Starts the edge; it serves until {@link #close()}. */
  static DevEdge start(EdgeConfig config, Clock clock) throws IOException {
    HttpServer server = HttpServer.create(config.listen(), 64);
    // One thread per request in flight: a request waits on its node, and a stream (/events) holds its thread.
    ExecutorService executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "litefs-edge");
      thread.setDaemon(true);
      return thread;
    });
    Upstream upstream = new Upstream(Duration.ofSeconds(2), Duration.ofMillis(100));
    server.createContext("/", new EdgeHandler(new Cluster(config.nodes()), config, upstream, clock));
    server.setExecutor(executor);
    server.start();
    return new DevEdge(server, executor);
  }

  /** Returns the address the edge listens on (with the port chosen when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static String hostAndPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
