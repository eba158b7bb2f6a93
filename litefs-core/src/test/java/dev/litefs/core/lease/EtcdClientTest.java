package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Answers of etcd's JSON gateway that a healthy single etcd does not give on demand, from a stub server: a
 * streamed error is not mistaken for an expired lease, and a grant without an ID is not used as "no lease".
 */
class EtcdClientTest {
  private HttpServer stub;

  @AfterEach
  void stopStub() {
    stub.stop(0);
  }

  @Test
  void aStreamedKeepAliveErrorIsAFailureNotAnExpiry() throws Exception {
    EtcdClient client = stubbed(200, "{\"error\":{\"grpc_code\":14,\"http_code\":503,"
        + "\"message\":\"etcdserver: no leader\",\"http_status\":\"Service Unavailable\"}}");

    assertThatThrownBy(() -> client.keepAlive(42)).isExactlyInstanceOf(LeaseException.class)
        .hasMessage("etcd lease on key 'k': POST /v3/lease/keepalive failed: etcdserver: no leader");
  }

  @Test
  void aGrantWithoutALeaseIdIsRefused() throws Exception {
    EtcdClient client = stubbed(200, "{\"header\":{\"revision\":\"1\"}}");

    assertThatThrownBy(() -> client.grant(Duration.ofSeconds(2))).isExactlyInstanceOf(LeaseException.class)
        .hasMessageContaining("without a lease ID");
  }

  @Test
  void anErrorPageThatIsNotJsonIsReportedAsText() throws Exception {
    EtcdClient client = stubbed(502, "Bad Gateway");

    assertThatThrownBy(() -> client.range("k")).isExactlyInstanceOf(LeaseException.class)
        .hasMessageContaining("/v3/kv/range answered 502: Bad Gateway");
  }

  @Test
  void aGatewayErrorIsReportedWithEtcdsMessage() throws Exception {
    EtcdClient client = stubbed(400, "{\"error\":\"etcdserver: too many operations in txn request\","
        + "\"message\":\"etcdserver: too many operations in txn request\",\"code\":3}");

    assertThatThrownBy(() -> client.putIfAbsent("k", new byte[0], 0)).isExactlyInstanceOf(LeaseException.class)
        .hasMessageEndingWith("answered 400: etcdserver: too many operations in txn request");
  }

  private EtcdClient stubbed(int status, String body) throws IOException {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", exchange -> {
      try (exchange) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    stub.start();
    URI endpoint = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    return new EtcdClient(List.of(endpoint), "k", Duration.ofSeconds(2));
  }
}
