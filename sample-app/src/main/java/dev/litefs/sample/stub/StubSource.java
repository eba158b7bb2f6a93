package dev.litefs.sample.stub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A stand-in for the external source, for tests and local clusters: {@code GET /sources/<id>} answers
 * {@code {"id", "title", "body"}} with a body made up from the id (the same id always gives the same text),
 * except that ids starting with {@code missing} answer 404. {@code GET /} says how many resources it served.
 * Plain JDK HTTP server, no Spring: it starts in milliseconds as its own process
 * ({@code java -jar sample-app.jar stub-source --port=8081}), or inside a test.
 */
public final class StubSource implements AutoCloseable {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String[] WORDS = ("replicated sqlite reads stay local while writes travel to the primary "
      + "which streams each transaction to every replica in order").split(" ");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicLong served = new AtomicLong();

  private StubSource(InetSocketAddress address) throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(executor);
    server.createContext("/sources/", this::source);
    server.createContext("/", this::index);
    server.start();
  }

  /** Starts a stub source on {@code address} (port 0: any free port). */
  public static StubSource start(InetSocketAddress address) throws IOException {
    return new StubSource(address);
  }

  /** {@code [--port=8081] [--bind=127.0.0.1]}: serves until the process is stopped. */
  public static void main(String[] args) throws IOException {
    int port = 8081;
    String bind = "127.0.0.1";
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else if (arg.startsWith("--bind=")) {
        bind = arg.substring("--bind=".length());
      } else {
        System.err.println("stub-source: unknown argument '" + arg + "'; usage: stub-source [--port=8081] "
            + "[--bind=127.0.0.1]");
        System.exit(2);
      }
    }
    StubSource stub = start(new InetSocketAddress(bind, port));
    Runtime.getRuntime().addShutdownHook(new Thread(stub::close, "stub-source-shutdown"));
    System.out.println("stub-source: serving GET " + stub.url() + "sources/{id}");
  }

  /** The base URL to configure as {@code sample.source.url}. */
  public URI url() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
  }

  /** How many resources it has served (200 answers). */
  public long served() {
    return served.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void source(HttpExchange exchange) throws IOException {
    String id = exchange.getRequestURI().getPath().substring("/sources/".length());
    if (!exchange.getRequestMethod().equals("GET")) {
      send(exchange, 405, "text/plain", "GET only\n");
    } else if (!ID.matcher(id).matches()) {
      send(exchange, 400, "text/plain", "not a resource id\n");
    } else if (id.startsWith("missing")) {
      send(exchange, 404, "text/plain", "no such resource\n");
    } else {
      served.incrementAndGet();
      // The id is checked above and the words are plain ASCII, so nothing here needs JSON escaping.
      send(exchange, 200, "application/json", "{\"id\":\"" + id + "\",\"title\":\"Resource " + id + "\",\"body\":\""
          + body(id) + "\"}");
    }
  }

  private void index(HttpExchange exchange) throws IOException {
    send(exchange, 200, "text/plain", "stub source: GET /sources/{id}; served " + served.get() + " resource(s)\n");
  }

  private static String body(String id) {
    Random random = new Random(id.hashCode());
    StringBuilder text = new StringBuilder();
    int words = 5 + random.nextInt(40);
    for (int i = 0; i < words; i++) {
      text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.append('.').toString();
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
