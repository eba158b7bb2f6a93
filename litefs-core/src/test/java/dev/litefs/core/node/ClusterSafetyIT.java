package dev.litefs.core.node;

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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster refuses what does not belong to it: unauthenticated requests, other clusters, silent primaries. */
class ClusterSafetyIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String TOKEN_YAML = "http:\n  token: \"s3cret\"\n";

  @TempDir Path tmp;

  static String primaryYaml() {
    return "lease:\n  type: static\n  candidate: true\n  hostname: \"node1\"\n  advertise-url: \"{{url}}\"\n";
  }

  static String replicaYaml(MountedNode primary) {
    return "lease:\n  type: static\n  candidate: false\n  hostname: \"node1\"\n  advertise-url: \"" + primary.url() + "\"\n";
  }

  @Test
  void withATokenRequestsWithoutItAreRefusedAndNothingIsApplied() throws Exception {
    try (MountedNode primary = MountedNode.start(tmp.resolve("p"), primaryYaml() + TOKEN_YAML)) {
      Sqlite.cli(primary.path("db").toString(), "CREATE TABLE t(v); INSERT INTO t VALUES (1);");
      try (MountedNode replica = MountedNode.start(tmp.resolve("r"), replicaYaml(primary) + TOKEN_YAML)) {
        Await.until("replica synced with the token", WAIT, () -> Files.exists(replica.path("db"))
            && Files.readString(replica.path("db-pos")).equals(Files.readString(primary.path("db-pos"))));
      }
      HttpClient http = HttpClient.newHttpClient();
      Path source = tmp.resolve("x.db");
      Sqlite.cli(source.toString(), "CREATE TABLE x(a)");
      HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(primary.url() + "/import?name=x.db"))
          .POST(HttpRequest.BodyPublishers.ofFile(source)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(noToken.statusCode()).isEqualTo(401);
      assertThat(noToken.body()).isEqualTo("unauthorized\n");
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(primary.url() + "/info"))
          .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(primary.path("x.db")).doesNotExist();
      HttpResponse<String> right = http.send(HttpRequest.newBuilder(URI.create(primary.url() + "/info"))
          .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(right.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aReplicaOfAnotherClusterNeverSyncsAndKeepsItsData() throws Exception {
    try (MountedNode primary = MountedNode.start(tmp.resolve("p"), primaryYaml())) {
      Sqlite.cli(primary.path("db").toString(), "CREATE TABLE t(v); INSERT INTO t VALUES (1);");
      Path dir = tmp.resolve("r");
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(dir.resolve("data/clusterid"), "LFSC0000000000000001\n");
      try (MountedNode replica = MountedNode.start(dir, replicaYaml(primary) + "skip-sync: true\n")) {
        Await.until("the replica refused the primary", WAIT,
            () -> replica.log().contains("cannot stream from primary with a different cluster id"));
        assertThat(replica.path("db")).doesNotExist();
        assertThat(Files.readString(dir.resolve("data/clusterid"))).isEqualTo("LFSC0000000000000001\n");
      }
    }
  }

  @Test
  void aReplicaGivesUpASilentPrimaryAndReconnectsWhenItSpeaksAgain() throws Exception {
    try (MountedNode primary = MountedNode.start(tmp.resolve("p"), primaryYaml())) {
      Sqlite.cli(primary.path("db").toString(), "CREATE TABLE t(v)");
      try (MountedNode replica = MountedNode.start(tmp.resolve("r"), replicaYaml(primary))) {
        Await.until("replica connected", WAIT, () -> Files.exists(replica.path(".primary")));
        primary.signal("STOP");
        try {
          Await.until("the replica gave up the silent primary", WAIT, () -> !Files.exists(replica.path(".primary")));
          assertThat(Integer.parseInt(Files.readString(replica.path(".lag")).trim())).isGreaterThan(3000);
        } finally {
          primary.signal("CONT");
        }
        Await.until("the replica reconnected", WAIT, () -> Files.exists(replica.path(".primary")));
      }
    }
  }
}
