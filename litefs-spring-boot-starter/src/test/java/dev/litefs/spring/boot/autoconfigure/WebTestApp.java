package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.PrimaryOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the web tests run: a controller with a {@code @PrimaryOnly} write, a GET that seeds on a
 * miss ({@code requirePrimary()}), a plain read, and an endpoint that reads its body before finding out it
 * needs the primary. A "commit" rewrites the mount's {@code app.db-pos}, as LiteFS does at commit.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WebTestApp.Api.class)
class WebTestApp {

  @RestController
  static class Api {
    final AtomicInteger executed = new AtomicInteger();
    private final AtomicLong txid = new AtomicLong(100);
    private final LiteFs liteFs;
    private final Path mountDir;

    Api(LiteFs liteFs, @Value("${litefs.mount-dir}") Path mountDir) {
      this.liteFs = liteFs;
      this.mountDir = mountDir;
    }

    @PrimaryOnly
    @PostMapping("/items")
    String create(@RequestBody(required = false) String body) {
      executed.incrementAndGet();
      return "created " + commit();
    }

    @GetMapping("/items/{id}")
    String get(@PathVariable String id) {
      if (!id.equals("missing")) {
        return "found " + id;
      }
      liteFs.requirePrimary();
      executed.incrementAndGet();
      return "seeded " + commit();
    }

    @GetMapping("/read")
    String read() {
      return "read on " + liteFs.hostname();
    }

    @PostMapping("/echo")
    String echo(@RequestBody String body) {
      liteFs.requirePrimary();
      executed.incrementAndGet();
      commit();
      return "echo " + body;
    }

    /** Simulates a committed write: LiteFS advances -pos. */
    long commit() {
      long t = txid.incrementAndGet();
      try {
        Files.writeString(mountDir.resolve("app.db-pos"),
            FakeLiteFs.hex(t) + "/" + FakeLiteFs.hex(FakeLiteFs.checksum(t)) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return t;
    }
  }

  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static HttpResponse<String> send(String method, String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET over a raw socket, for header bytes the JDK client refuses to send; returns the whole response. */
  static String rawGet(int port, String path, String extraHeaderLine) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaderLine + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> allHeaderValues(HttpResponse<?> response) {
    return response.headers().map().values().stream().flatMap(List::stream).toList();
  }
}
