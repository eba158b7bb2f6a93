package dev.litefs.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import dev.litefs.core.testing.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The node API answers as LiteFS v0.5.14 does: the statuses and bodies captured in vectors/http, the
 * headers, and /info's JSON; over HTTP/1.1 and h2c.
 */
class NodeApiIT {
  @TempDir static Path tmp;
  static MountedNode primary;
  static MountedNode replica;
  static HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static org.eclipse.jetty.client.HttpClient h2c;

  @BeforeAll
  static void start() throws Exception {
    primary = MountedNode.primary(tmp.resolve("p"));
    Sqlite.cli(primary.path("delete.db").toString(), "CREATE TABLE t(v)");
    replica = MountedNode.replicaOf(tmp.resolve("r"), primary);
    Await.until("replica synced", Duration.ofSeconds(30), () -> Files.exists(replica.path("delete.db")));
    h2c = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
    h2c.start();
  }

  @AfterAll
  static void stop() throws Exception {
    h2c.stop();
    replica.close();
    primary.close();
  }

  static HttpResponse<String> get(MountedNode n, String method, String path) throws Exception {
    return http1.send(HttpRequest.newBuilder(URI.create(n.url() + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  static String vectorBody(String name) throws Exception {
    return Files.readString(Vectors.path("http/" + name + ".body"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "export-missing, primary, GET, /export?name=missing.db, 404",
      "export-noname, primary, GET, /export, 400",
      "halt-bad-id, primary, POST, /halt?name=delete.db&id=abc, 400",
      "tx-missing, primary, POST, /tx?name=missing.db&lockID=1, 404",
      "handoff-bad, primary, POST, /handoff?nodeID=zz, 400",
      "import-noname, primary, POST, /import, 400",
      "import-on-replica, replica, POST, /import?name=imp.db, 503",
      "promote-replica, replica, POST, /promote, 409",
      "info-post, primary, POST, /info, 405",
      "unknown-path, primary, GET, /nope, 404",
      "stream-http11, primary, POST, /stream, 426"})
  void errorsAreLiteFsErrors(String vector, String node, String method, String path, int status) throws Exception {
    HttpResponse<String> r = get(node.equals("primary") ? primary : replica, method, path);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(vectorBody(vector));
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("Litefs-Id")).hasValueSatisfying(v -> assertThat(v).matches("[0-9A-F]{16}"));
    assertThat(r.headers().firstValue("Litefs-Cluster-Id")).hasValueSatisfying(v -> assertThat(v).matches("LFSC[0-9A-F]{16}"));
  }

  @Test
  void promoteOnThePrimaryIsAnEmptyOk() throws Exception {
    HttpResponse<String> r = get(primary, "POST", "/promote");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Type")).isEmpty();
  }

  @Test
  void infoIsLiteFsJson() throws Exception {
    HttpResponse<String> p = get(primary, "GET", "/info");
    String cluster = p.headers().firstValue("Litefs-Cluster-Id").orElseThrow();
    assertThat(p.body()).isEqualTo("{\n  \"clusterID\": \"" + cluster + "\",\n  \"isPrimary\": true,\n  \"candidate\": true,\n"
        + "  \"path\": \"" + primary.data() + "\",\n  \"primary\": {\n    \"hostname\": \"node1\"\n  }\n}\n");
    HttpResponse<String> r = get(replica, "GET", "/info");
    assertThat(r.body()).contains("\"isPrimary\": false", "\"candidate\": false", "\"hostname\": \"node1\"");
    assertThat(r.headers().firstValue("Litefs-Cluster-Id")).contains(cluster);
  }

  @Test
  void streamOverH2cChecksItsCaller() throws Exception {
    String self = get(primary, "GET", "/info").headers().firstValue("Litefs-Id").orElseThrow();
    ContentResponse selfStream = h2c.POST(primary.url() + "/stream").headers(h -> h.put("Litefs-Id", self))
        .body(new BytesRequestContent(new byte[4])).timeout(10, TimeUnit.SECONDS).send();
    assertThat(selfStream.getStatus()).isEqualTo(400);
    assertThat(selfStream.getContentAsString()).isEqualTo(vectorBody("stream-self"));

    ContentResponse onReplica = h2c.POST(replica.url() + "/stream").headers(h -> h.put("Litefs-Id", "00000000000000AA"))
        .body(new BytesRequestContent(new byte[4])).timeout(10, TimeUnit.SECONDS).send();
    assertThat(onReplica.getStatus()).isEqualTo(503);
    assertThat(onReplica.getContentAsString()).isEqualTo(vectorBody("stream-on-replica"));

    ContentResponse badMap = h2c.POST(primary.url() + "/stream").headers(h -> h.put("Litefs-Id", "00000000000000AA"))
        .body(new BytesRequestContent("xy".getBytes())).timeout(10, TimeUnit.SECONDS).send();
    assertThat(badMap.getStatus()).isEqualTo(400);
    assertThat(badMap.getContentAsString()).isEqualTo(vectorBody("stream-bad-posmap"));

    ContentResponse getStream = h2c.newRequest(primary.url() + "/stream").method("GET").timeout(10, TimeUnit.SECONDS).send();
    assertThat(getStream.getStatus()).isEqualTo(405);
    assertThat(getStream.getContentAsString()).isEqualTo(vectorBody("stream-get"));
  }

  @Test
  void metricsUseLiteFsNames() throws Exception {
    String body = get(primary, "GET", "/metrics").body();
    assertThat(body).contains("litefs_is_primary 1.0", "litefs_db_txid{db=\"delete.db\"}", "litefs_db_count",
        "litefs_lag_seconds", "litefs_subscriber_count 1.0");
  }
}
