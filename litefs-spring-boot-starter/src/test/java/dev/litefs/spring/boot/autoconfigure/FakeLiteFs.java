package dev.litefs.spring.boot.autoconfigure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A simulated LiteFS sidecar for tests: a mount directory holding the files LiteFS serves ({@code .lag},
 * {@code .primary}, {@code <db>-pos}) and an {@code /events} NDJSON server on 127.0.0.1, both written the way
 * upstream LiteFS 0.5.14 writes them (see testdata/vectors §4 and §6). The test drives it: a commit writes
 * {@code -pos} and sends a {@code tx} event, a role change rewrites {@code .primary} and sends
 * {@code primaryChange}.
 */
final class FakeLiteFs implements AutoCloseable {
  private final Path dir;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final boolean ownsDir;
  private volatile boolean primary;
  private volatile String primaryHostname;
  private volatile boolean refuse;

  private record Subscriber(OutputStream out, CountDownLatch closed) {}

  private FakeLiteFs(Path dir, boolean ownsDir, boolean primary, String primaryHostname) {
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.primary = primary;
    this.primaryHostname = primaryHostname;
    try {
      Files.createDirectories(dir);
      writeRoleFiles();
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-litefs-events");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/events", this::serveEvents);
    server.start();
  }

  /** A primary mount in {@code dir}. */
  static FakeLiteFs primary(Path dir) {
    return new FakeLiteFs(dir, false, true, "");
  }

  /** A replica mount in {@code dir}, connected to {@code primaryHostname}. */
  static FakeLiteFs replica(Path dir, String primaryHostname) {
    return new FakeLiteFs(dir, false, false, primaryHostname);
  }

  /** A primary mount in a fresh temporary directory, deleted on close. */
  static FakeLiteFs primary() {
    return new FakeLiteFs(tempDir(), true, true, "");
  }

  /** A replica mount in a fresh temporary directory, deleted on close. */
  static FakeLiteFs replica(String primaryHostname) {
    return new FakeLiteFs(tempDir(), true, false, primaryHostname);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("fake-litefs");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  URI eventsUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
  }

  /** Properties that point the starter at this mount in sidecar mode. */
  Map<String, String> properties(String... databases) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("litefs.mode", "sidecar");
    p.put("litefs.mount-dir", dir.toString());
    p.put("litefs.sidecar.events-url", eventsUrl().toString());
    p.put("litefs.sidecar.reconnect-min-delay", "20ms");
    p.put("litefs.sidecar.reconnect-max-delay", "200ms");
    p.put("litefs.hostname", primary ? "node1" : "node2");
    p.put("litefs.replay.mode", "fly");
    for (int i = 0; i < databases.length; i++) {
      p.put("litefs.databases[" + i + "]", databases[i]);
    }
    return p;
  }

  String[] propertyArray(String... databases) {
    return properties(databases).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  int connections() {
    return connections.get();
  }

  // --- what LiteFS would do ---

  /** This node becomes the primary: {@code .primary} disappears, then {@code primaryChange} is sent. */
  void promote() {
    primary = true;
    writeRoleFiles();
    send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":true}}");
  }

  /** This node becomes (or stays) a replica of {@code hostname}. */
  void demoteTo(String hostname) {
    primary = false;
    primaryHostname = hostname;
    writeRoleFiles();
    send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":false,\"hostname\":\"" + hostname + "\"}}");
  }

  /** This replica loses its primary, as upstream does when the primary goes down. */
  void losePrimary() {
    primary = false;
    primaryHostname = "";
    writeRoleFiles();
    send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":false}}");
  }

  /** A transaction reaches {@code db}: {@code -pos} is rewritten and a {@code tx} event is sent. */
  void commit(String db, long txid) {
    writePosition(db, txid);
    send("{\"type\":\"tx\",\"db\":\"" + db + "\",\"data\":{\"txID\":\"" + hex(txid) + "\",\"postApplyChecksum\":\""
        + hex(checksum(txid)) + "\",\"pageSize\":4096,\"commit\":2,\"timestamp\":\"2026-11-26T06:49:19.007Z\"}}");
  }

  /** Rewrites {@code -pos} without an event, as when the event was lost. */
  void writePosition(String db, long txid) {
    write(db + "-pos", hex(txid) + "/" + hex(checksum(txid)) + "\n");
  }

  static long checksum(long txid) {
    return 0x8000000000000000L | (txid * 0x9E3779B97F4A7C15L >>> 1);
  }

  void setLagMillis(long ms) {
    write(".lag", String.format("%+010d\n", ms));
  }

  /** Writes raw bytes into a mount file (for malformed-content tests). */
  void write(String name, String content) {
    try {
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one raw line to every subscriber. */
  void send(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    for (Subscriber s : subscribers) {
      try {
        synchronized (s) {
          s.out.write(bytes);
          s.out.flush();
        }
      } catch (IOException e) {
        subscribers.remove(s);
        s.closed.countDown();
      }
    }
  }

  /** Closes every open event stream (the client should reconnect). */
  void dropConnections() {
    for (Subscriber s : new ArrayList<>(subscribers)) {
      subscribers.remove(s);
      s.closed.countDown();
    }
  }

  /** While set, the events endpoint answers 503, as a LiteFS that is restarting would fail. */
  void refuseConnections(boolean refuse) {
    this.refuse = refuse;
  }

  private void serveEvents(HttpExchange exchange) throws IOException {
    if (refuse) {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    Subscriber s = new Subscriber(out, new CountDownLatch(1));
    String init = primary ? "{\"type\":\"init\",\"data\":{\"isPrimary\":true}}"
        : primaryHostname.isEmpty() ? "{\"type\":\"init\",\"data\":{\"isPrimary\":false}}"
        : "{\"type\":\"init\",\"data\":{\"isPrimary\":false,\"hostname\":\"" + primaryHostname + "\"}}";
    // Subscribe before writing init, under the subscriber's lock: an event sent meanwhile waits, then follows init.
    synchronized (s) {
      subscribers.add(s);
      out.write((init + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    connections.incrementAndGet();
    try {
      s.closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private void writeRoleFiles() {
    try {
      if (primary) {
        Files.deleteIfExists(dir.resolve(".primary"));
        setLagMillis(0);
      } else {
        if (primaryHostname.isEmpty()) {
          Files.deleteIfExists(dir.resolve(".primary"));
        } else {
          write(".primary", primaryHostname + "\n");
        }
        setLagMillis(12);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hex(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }

  @Override
  public void close() {
    dropConnections();
    server.stop(0);
    executor.shutdownNow();
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // Best effort: a temporary directory.
      }
    }
  }
}
