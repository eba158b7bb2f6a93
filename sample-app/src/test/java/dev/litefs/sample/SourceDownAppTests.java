package dev.litefs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application in dev mode with its source down: a miss answers 502 and stores nothing. */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SourceDownAppTests {
  static final int CLOSED_PORT = closedPort();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    String dir = Files.createTempDirectory("sample-source-down").toString();
    registry.add("litefs.mode", () -> "dev");
    registry.add("litefs.dev.dir", () -> dir);
    registry.add("litefs.hostname", () -> "laptop");
    registry.add("sample.source.url", () -> "http://127.0.0.1:" + CLOSED_PORT);
  }

  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort
  int port;

  @Test
  void aMissWhileTheSourceIsDownIsABadGatewayAndStoresNothing() {
    HttpResponse<String> r = Http.get(port, "/resources/alpha");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("X-Node")).contains("laptop");
    assertThat(Http.json(r).get("title").asString()).isEqualTo("The source is unavailable");
    assertThat(Http.json(r).get("detail").asString()).isEqualTo("The source at http://127.0.0.1:" + CLOSED_PORT
        + " cannot be reached (connection refused); is it running, and is sample.source.url right?");
    assertThat(Http.json(Http.get(port, "/resources"))).isEmpty();
  }
}
