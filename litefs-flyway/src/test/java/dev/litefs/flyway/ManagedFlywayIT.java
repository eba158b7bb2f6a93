package dev.litefs.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.testing.AppProcess;
import dev.litefs.spring.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway on a real two-node cluster in managed mode: two Spring Boot applications, each in its own JVM with its
 * own engine (static lease, {@code a} primary). The migrations ran exactly once, on the primary; the replica
 * started with the replicated schema and ran none.
 */
class ManagedFlywayIT {
  @TempDir
  Path tmp;
  AppProcess a;
  AppProcess b;

  @AfterEach
  void stop() {
    for (AppProcess app : new AppProcess[] {b, a}) {
      if (app != null) {
        app.close();
      }
    }
  }

  static Map<String, String> node(Path dir, String hostname, int apiPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("litefs.mode", "managed");
    p.put("litefs.hostname", hostname);
    p.put("litefs.databases", "app.db");
    p.put("litefs.mount-dir", dir.resolve("mnt").toString());
    p.put("litefs.managed.data.dir", dir.resolve("data").toString());
    p.put("litefs.managed.http.addr", "127.0.0.1:" + apiPort);
    p.put("litefs.managed.lease.type", "static");
    p.put("litefs.replay.mode", "fly");
    p.put("spring.flyway.locations", "classpath:db/managed");
    p.put("spring.flyway.placeholders.node", hostname);
    return p;
  }

  @Test
  void theMigrationsRanExactlyOnceOnThePrimaryAndTheReplicaStartedOnTheReplicatedSchema() throws IOException {
    int apiA = FreePorts.next();
    Map<String, String> primary = node(tmp.resolve("a"), "a", apiA);
    primary.put("litefs.managed.lease.advertise-url", "http://127.0.0.1:" + apiA);
    a = AppProcess.start("a", tmp.resolve("a"), ManagedFlywayApp.class, primary);

    Map<String, String> replica = node(tmp.resolve("b"), "b", FreePorts.next());
    replica.put("litefs.managed.lease.candidate", "false");
    replica.put("litefs.managed.lease.hostname", "a");
    replica.put("litefs.managed.lease.advertise-url", "http://127.0.0.1:" + apiA);
    b = AppProcess.start("b", tmp.resolve("b"), ManagedFlywayApp.class, replica);

    assertThat(a.keyValues("/migrations")).containsEntry("primary", "true").containsEntry("runs", "1:a,2:a")
        .containsEntry("history", "2");
    assertThat(b.keyValues("/migrations")).containsEntry("primary", "false").containsEntry("runs", "1:a,2:a")
        .containsEntry("history", "2");
    assertThat(a.log()).contains("Flyway: this node is the primary; applied 2 migration(s)");
    assertThat(b.log()).contains("Flyway: this node is a replica").doesNotContain("applied 2 migration(s)");
  }
}
