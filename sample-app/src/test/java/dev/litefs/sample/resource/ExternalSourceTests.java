package dev.litefs.sample.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpServer;
import dev.litefs.sample.stub.StubSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The source client against real HTTP servers: the stub source, and servers that misbehave on purpose. */
class ExternalSourceTests {
  private StubSource stub;
  private HttpServer server;

  @AfterEach
  void close() {
    if (stub != null) {
      stub.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private static ExternalSource client(URI url) {
    return new ExternalSource(new SourceProperties(url, Duration.ofSeconds(2), Duration.ofMillis(300),
        DataSize.ofKilobytes(1)), JsonMapper.builder().build());
  }

  /** A server that answers every request with {@code status} and {@code body}. */
  private URI answering(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void fetchesAResourceFromTheStubSource() throws IOException {
    stub = StubSource.start(new InetSocketAddress("127.0.0.1", 0));
    SourceDocument doc = client(stub.url()).fetch("alpha").orElseThrow();
    assertThat(doc.id()).isEqualTo("alpha");
    assertThat(doc.title()).isEqualTo("Resource alpha");
    assertThat(doc.body()).isNotBlank().endsWith(".");
    assertThat(client(stub.url()).fetch("alpha")).contains(doc);
    assertThat(stub.served()).isEqualTo(2);
  }

  @Test
  void aResourceTheSourceDoesNotHaveIsEmpty() throws IOException {
    stub = StubSource.start(new InetSocketAddress("127.0.0.1", 0));
    assertThat(client(stub.url()).fetch("missing-1")).isEmpty();
    assertThat(stub.served()).isZero();
  }

  @Test
  void aSourceThatRefusesConnectionsIsUnavailableAndSaysWhere() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    assertThatExceptionOfType(SourceUnavailableException.class)
        .isThrownBy(() -> client(URI.create("http://127.0.0.1:" + port)).fetch("alpha"))
        .withMessage("The source at http://127.0.0.1:" + port + " cannot be reached (connection refused); is it "
            + "running, and is sample.source.url right?")
        .satisfies(e -> assertThat(e.timedOut()).isFalse());
  }

  @Test
  void aSourceThatDoesNotAnswerInTimeTimesOut() throws IOException {
    // The kernel accepts the connection into the backlog; nobody ever reads the request or answers.
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      assertThatExceptionOfType(SourceUnavailableException.class).isThrownBy(() -> client(url).fetch("alpha"))
          .withMessage("The source at " + url + " did not answer for resource 'alpha' within 300 ms "
              + "(sample.source.read-timeout)")
          .satisfies(e -> assertThat(e.timedOut()).isTrue());
    }
  }

  @Test
  void anErrorStatusFromTheSourceIsUnavailable() throws IOException {
    URI url = answering(500, "oops");
    assertThatExceptionOfType(SourceUnavailableException.class).isThrownBy(() -> client(url).fetch("alpha"))
        .withMessage("The source at " + url + " answered 500 for resource 'alpha'");
  }

  @Test
  void anAnswerThatIsNotJsonIsUnavailable() throws IOException {
    URI url = answering(200, "<html>hello</html>");
    assertThatExceptionOfType(SourceUnavailableException.class).isThrownBy(() -> client(url).fetch("alpha"))
        .withMessageStartingWith("The source at " + url + " answered resource 'alpha' with something that is not "
            + "JSON: ");
  }

  @Test
  void anAnswerWithoutATitleAndABodyIsUnavailable() throws IOException {
    URI url = answering(200, "{\"title\":\"only a title\"}");
    assertThatExceptionOfType(SourceUnavailableException.class).isThrownBy(() -> client(url).fetch("alpha"))
        .withMessage("The source at " + url + " answered resource 'alpha' without a title and a body");
  }

  @Test
  void anAnswerLargerThanTheLimitIsRefused() throws IOException {
    URI url = answering(200, "{\"title\":\"t\",\"body\":\"" + "x".repeat(2000) + "\"}");
    assertThatExceptionOfType(SourceUnavailableException.class).isThrownBy(() -> client(url).fetch("alpha"))
        .withMessage("The source at " + url + " answered more than 1024B for resource 'alpha' "
            + "(sample.source.max-body-size)");
  }
}
