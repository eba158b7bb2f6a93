package dev.litefs.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A simulated LiteFS sidecar, after the starter's test helper {@code FakeLiteFs}: a mount directory holding the
 * files LiteFS serves ({@code .lag}, {@code .primary}, {@code <db>-pos}) beside a plain SQLite database, and an
 * {@code /events} NDJSON server on 127.0.0.1, in upstream LiteFS 0.5.14's formats (testdata/vectors). The test
 * plays LiteFS: {@link #commit} is a replicated transaction arriving, {@link #promote} and {@link #demoteTo}
 * change the role.
 */
public final class SimulatedLiteFs implements AutoCloseable {
  private final Path dir;
  private final String hostname;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "simulated-litefs-events");
    t.setDaemon(true);
    return t;
  });
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private volatile boolean primary;
  private volatile String primaryHostname;

  private record Subscriber(OutputStream out, CountDownLatch closed) {}

  private SimulatedLiteFs(Path dir, String hostname, boolean primary, String primaryHostname) {
    this.dir = dir;
    this.hostname = hostname;
    this.primary = primary;
    this.primaryHostname = primaryHostname;
    try {
      Files.createDirectories(dir);
      writeRoleFiles();
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/events", this::serveEvents);
    server.start();
  }

  /** The mount of {@code hostname}, the primary. */
  public static SimulatedLiteFs primary(Path dir, String hostname) {
    return new SimulatedLiteFs(dir, hostname, true, "");
  }

  /** The mount of {@code hostname}, a replica of {@code primaryHostname}. */
  public static SimulatedLiteFs replica(Path dir, String hostname, String primaryHostname) {
    return new SimulatedLiteFs(dir, hostname, false, primaryHostname);
  }

  /** The database file {@code db} in the mount. */
  public Path database(String db) {
    return dir.resolve(db);
  }

  /** Properties that run the application in sidecar mode on this mount, with Fly.io-style replays. */
  public String[] properties() {
    return new String[] {"litefs.mode=sidecar", "litefs.mount-dir=" + dir, "litefs.hostname=" + hostname,
        "litefs.sidecar.events-url=http://127.0.0.1:" + server.getAddress().getPort() + "/events",
        "litefs.sidecar.reconnect-min-delay=20ms", "litefs.sidecar.reconnect-max-delay=200ms",
        "litefs.replay.mode=fly"};
  }

  /** This node becomes the primary: {@code .primary} disappears, then {@code primaryChange} is sent. */
  public void promote() {
    primary = true;
    writeRoleFiles();
    send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":true}}");
  }

  /** This node becomes a replica of {@code newPrimary}. */
  public void demoteTo(String newPrimary) {
    primary = false;
    primaryHostname = newPrimary;
    writeRoleFiles();
    send("{\"type\":\"primaryChange\",\"data\":{\"isPrimary\":false,\"hostname\":\"" + newPrimary + "\"}}");
  }

  /** A transaction reaches {@code db}: {@code -pos} is rewritten and a {@code tx} event is sent. */
  public void commit(String db, long txid) {
    write(db + "-pos", hex(txid) + "/" + hex(checksum(txid)) + "\n");
    send("{\"type\":\"tx\",\"db\":\"" + db + "\",\"data\":{\"txID\":\"" + hex(txid) + "\",\"postApplyChecksum\":\""
        + hex(checksum(txid)) + "\",\"pageSize\":4096,\"commit\":2,\"timestamp\":\"2026-11-26T06:49:19.007Z\"}}");
  }

  /** LiteFS's 16-hex-digit TXID format. */
  public static String hex(long v) {
    return String.format("%016x", v);
  }

  private static long checksum(long txid) {
    return 0x8000000000000000L | (txid * 0x9E3779B97F4A7C15L >>> 1);
  }

  private void send(String line) {
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

  private void serveEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    Subscriber s = new Subscriber(exchange.getResponseBody(), new CountDownLatch(1));
    String init = primary ? "{\"type\":\"init\",\"data\":{\"isPrimary\":true}}"
        : "{\"type\":\"init\",\"data\":{\"isPrimary\":false,\"hostname\":\"" + primaryHostname + "\"}}";
    // Subscribe and write init under the subscriber's lock, so an event sent meanwhile follows init.
    synchronized (s) {
      subscribers.add(s);
      s.out.write((init + "\n").getBytes(StandardCharsets.UTF_8));
      s.out.flush();
    }
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
        write(".lag", "+000000000\n");
      } else {
        write(".primary", primaryHostname + "\n");
        write(".lag", "+000000012\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String name, String content) {
    try {
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Subscriber s : new ArrayList<>(subscribers)) {
      subscribers.remove(s);
      s.closed.countDown();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
