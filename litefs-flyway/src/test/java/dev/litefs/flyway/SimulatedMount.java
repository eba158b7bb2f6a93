package dev.litefs.flyway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A simulated LiteFS sidecar mount for the Flyway tests: a directory with {@code .lag}, {@code .primary} and
 * {@code <db>-pos}, plus an {@code /events} NDJSON server on 127.0.0.1. Its database files are plain SQLite
 * files; "replication" is the test copying the primary's file over and sending a {@code tx} event.
 */
final class SimulatedMount implements AutoCloseable {
  private final Path dir;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "simulated-litefs");
    t.setDaemon(true);
    return t;
  });
  private final List<OutputStream> subscribers = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean primary;
  private long txid;

  SimulatedMount(Path dir, boolean primary) throws IOException {
    this.dir = dir;
    this.primary = primary;
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".lag"), primary ? "+000000000\n" : "+000000012\n");
    if (!primary) {
      Files.writeString(dir.resolve(".primary"), "node1\n");
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/events", this::serve);
    server.start();
  }

  String[] properties(String hostname) {
    return new String[] {"litefs.mode=sidecar", "litefs.mount-dir=" + dir, "litefs.databases=app.db",
        "litefs.hostname=" + hostname, "litefs.sidecar.events-url=http://127.0.0.1:" + server.getAddress().getPort()
        + "/events", "litefs.datasource.journal-mode=delete", "spring.main.banner-mode=off"};
  }

  Path database() {
    return dir.resolve("app.db");
  }

  /** Replication: the primary's database file arrives here, then LiteFS updates -pos and sends tx. */
  synchronized void replicateFrom(Path primaryDatabase) throws IOException {
    Files.write(database(), Files.readAllBytes(primaryDatabase));
    txid++;
    String hex = String.format("%016x", txid);
    Files.writeString(dir.resolve("app.db-pos"), hex + "/8000000000000001\n");
    send("{\"type\":\"tx\",\"db\":\"app.db\",\"data\":{\"txID\":\"" + hex + "\",\"postApplyChecksum\":"
        + "\"8000000000000001\",\"pageSize\":4096,\"commit\":2,\"timestamp\":\"2026-11-26T06:49:19.007Z\"}}");
  }

  void promote() throws IOException {
    primary = true;
    Files.deleteIfExists(dir.resolve(".primary"));
    Files.writeString(dir.resolve(".lag"), "+000000000\n");
    send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":true}}");
  }

  private synchronized void send(String line) {
    for (OutputStream out : subscribers) {
      try {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        subscribers.remove(out);
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    synchronized (this) {
      subscribers.add(out);
      String init = primary ? "{\"type\":\"init\",\"data\":{\"isPrimary\":true}}"
          : "{\"type\":\"init\",\"data\":{\"isPrimary\":false,\"hostname\":\"node1\"}}";
      out.write((init + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  static void uncheckedReplicate(SimulatedMount mount, Path from) {
    try {
      mount.replicateFrom(from);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
