package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes configured with {@code lease.type: consul} the way a Fly.io app is, against the in-repo
 * <b>fake</b> Consul (no Consul server can be had here): one becomes primary, the other follows it, a handoff
 * moves the lease, and a clean shutdown releases it for the other to take at once.
 */
class ConsulClusterAgainstFakeConsulIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path tmp;

  static MountedNode node(Path dir, String name, FakeConsul consul) throws Exception {
    URI u = consul.url();
    return MountedNode.start(dir, "lease:\n  type: consul\n  hostname: \"" + name + "\"\n  advertise-url: \"{{url}}\"\n"
        + "  candidate: true\n  consul:\n    url: \"http://:tok@" + u.getHost() + ":" + u.getPort() + "\"\n"
        + "    key: \"demo/primary\"\nskip-sync: true\n");
  }

  static boolean isPrimary(MountedNode n) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(n.url() + "/info")).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains("\"isPrimary\": true");
  }

  @Test
  void theLeaseMovesByHandoffAndByCleanShutdown() throws Exception {
    try (FakeConsul consul = FakeConsul.start(Clock.systemUTC(), "tok");
        MountedNode a = node(tmp.resolve("a"), "a", consul)) {
      Await.until("a primary", WAIT, () -> isPrimary(a));
      Sqlite.cli(a.path("db").toString(), "CREATE TABLE t(v); INSERT INTO t VALUES (1);");
      try (MountedNode b = node(tmp.resolve("b"), "b", consul)) {
        Await.until("b follows a", WAIT, () -> Files.exists(b.path(".primary"))
            && Files.readString(b.path(".primary")).equals("a\n") && Files.exists(b.path("db")));
        assertThat(new String(consul.value("demo/primary"))).contains("\"hostname\":\"a\"");

        HttpResponse<String> promote = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(b.url() + "/promote")).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(promote.statusCode()).as(promote.body()).isEqualTo(200);
        assertThat(new String(consul.value("demo/primary"))).contains("\"hostname\":\"b\"");
        Await.until("a follows b", WAIT, () -> Files.exists(a.path(".primary")));

        assertThat(b.stop()).isZero();
        Await.until("a primary again after b released the lease", WAIT, () -> isPrimary(a));
        assertThat(Sqlite.cli(a.path("db").toString(), "INSERT INTO t VALUES (2); SELECT sum(v) FROM t;").out().trim())
            .isEqualTo("3");
      }
    }
  }
}
