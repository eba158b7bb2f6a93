package dev.litefs.core.http;

import dev.litefs.core.node.Node;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node API server: one port speaking HTTP/1.1 and h2c with prior knowledge (what LiteFS's Go client
 * uses for {@code /stream}), on {@code http.addr}.
 */
public final class NodeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeServer.class);

  private final Server server;
  private final ServerConnector connector;

  private NodeServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts serving {@code node} on {@code addr} ({@code :20202}, {@code 127.0.0.1:20202}; port 0 picks one).
   *
   * @throws Exception if the port cannot be bound
   */
  public static NodeServer start(String addr, Node node, Optional<String> token) throws Exception {
    InetSocketAddress bind = parse(addr);
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("litefs-http");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
        new HTTP2CServerConnectionFactory(config));
    connector.setHost(bind.getHostString().isEmpty() ? null : bind.getHostString());
    connector.setPort(bind.getPort());
    server.addConnector(connector);
    server.setHandler(new NodeApi(node, token, new MetricsEndpoint(node)));
    server.setStopTimeout(2000);
    server.start();
    log.info("node API listening on {}:{}", connector.getHost() == null ? "*" : connector.getHost(), connector.getLocalPort());
    return new NodeServer(server, connector);
  }

  static InetSocketAddress parse(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("http.addr must be HOST:PORT or :PORT, got \"" + addr + "\"");
    }
    String host = addr.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return InetSocketAddress.createUnresolved(host, Integer.parseInt(addr.substring(colon + 1)));
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
