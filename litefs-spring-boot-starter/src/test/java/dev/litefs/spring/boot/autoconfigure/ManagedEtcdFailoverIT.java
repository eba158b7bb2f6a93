package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.testing.AppProcess;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.EtcdProcess;
import dev.litefs.spring.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Spring Boot applications in managed mode, each in its own JVM with its own engine, both candidates of
 * an etcd lease (a real etcd on loopback). When the primary changes, by handoff or because the primary dies,
 * primary-only work (a {@code @Scheduled} job and a lifecycle worker) moves to the new primary, and writes
 * follow it.
 */
class ManagedEtcdFailoverIT {
  static final Duration TAKEOVER = Duration.ofSeconds(30);

  @TempDir
  Path tmp;
  EtcdProcess etcd;
  AppProcess a;
  AppProcess b;
  int apiB;

  void startCluster(String ttl) throws IOException {
    etcd = EtcdProcess.start(tmp.resolve("etcd"));
    a = ManagedCluster.start("a", tmp.resolve("a"),
        ManagedCluster.etcdCandidate(tmp.resolve("a"), "a", FreePorts.next(), etcd.clientUrl(), ttl));
    assertThat(status(a)).as("the first candidate up is primary").containsEntry("primary", "true");
    apiB = FreePorts.next();
    b = ManagedCluster.start("b", tmp.resolve("b"),
        ManagedCluster.etcdCandidate(tmp.resolve("b"), "b", apiB, etcd.clientUrl(), ttl));
    assertThat(status(b)).containsEntry("primary", "false").containsEntry("primaryHostname", "a");
    awaitWorkOn(a);
  }

  @AfterEach
  void stopCluster() {
    for (AppProcess app : new AppProcess[] {b, a}) {
      if (app != null) {
        app.close();
      }
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void onAHandoffTheOldPrimaryStopsItsWorkWithinASecondAndTheNewOneTakesItOver() throws Exception {
    startCluster("10s");

    HttpResponse<String> promote = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + apiB + "/promote")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(promote.statusCode()).as(promote.body()).isEqualTo(200);

    Await.until("a to stop its primary-only work", Duration.ofSeconds(1), () -> {
      Map<String, String> s = status(a);
      return s.get("primary").equals("false") && s.get("workerRunning").equals("false");
    });
    int ticksOnA = ticks(a);
    awaitWorkOn(b);
    assertThat(ticks(a)).as("a's job after its demotion").isEqualTo(ticksOnA);
    assertThat(status(a)).containsEntry("workerStops", "1");
    // a learns the new primary when its stream to b connects, which may come after b's first ticks.
    Await.until("a to follow b", TAKEOVER, () -> "b".equals(status(a).get("primaryHostname")));

    HttpResponse<String> write = a.post("/items", "after-handoff", "Content-Type", "text/plain");
    assertThat(write.statusCode()).isEqualTo(409);
    assertThat(write.headers().firstValue("fly-replay")).hasValueSatisfying(v -> assertThat(v).startsWith("instance=b;"));
    assertThat(b.post("/items", "after-handoff", "Content-Type", "text/plain").statusCode()).isEqualTo(200);
  }

  @Test
  void whenThePrimaryApplicationIsKilledItsEngineReleasesTheLeaseAndTheOtherNodeTakesOverAtOnce() throws Exception {
    startCluster("10s");
    ProcessHandle engineOfA = a.engine().orElseThrow();
    String written = a.post("/items", "before-the-kill", "Content-Type", "text/plain").body();

    long killed = System.nanoTime();
    a.kill();

    Await.until("a's engine to stop on its own", TAKEOVER, () -> !engineOfA.isAlive());
    awaitWorkOn(b);
    long tookMs = (System.nanoTime() - killed) / 1_000_000;
    assertThat(tookMs).as("takeover well before the 10 s TTL: the lease was released").isLessThan(7_000);
    assertThat(a.hasMountEntry()).as("a's engine unmounted").isFalse();
    String id = written.substring(0, written.indexOf(' '));
    assertThat(b.get("/items/" + id).body()).isEqualTo("before-the-kill read on b");
    assertThat(b.post("/items", "after", "Content-Type", "text/plain").statusCode()).isEqualTo(200);
  }

  @Test
  void whenThePrimarysEngineIsKilledItsApplicationExitsAndTheOtherNodeTakesOverAfterTheTtl() throws Exception {
    startCluster("2s");
    ProcessHandle engineOfA = a.engine().orElseThrow();

    engineOfA.destroyForcibly();

    int status = a.awaitExit(TAKEOVER);
    assertThat(status).as("a's exit status; its log:\n%s", a.log()).isEqualTo(EngineExitHandler.EXIT_STATUS);
    assertThat(a.log()).contains("exited unexpectedly with status 137").contains("the application stops");
    assertThat(a.hasMountEntry()).as("the dead engine's mount was cleared").isFalse();
    awaitWorkOn(b);
    assertThat(b.post("/items", "after", "Content-Type", "text/plain").statusCode()).isEqualTo(200);
  }

  /** Waits until {@code app} is primary and its job and worker both run. */
  static void awaitWorkOn(AppProcess app) {
    Await.until(app.name() + " to be primary with its job and worker running", TAKEOVER, () -> {
      Map<String, String> s = status(app);
      return s.get("primary").equals("true") && s.get("workerRunning").equals("true")
          && Integer.parseInt(s.get("ticks")) >= 3;
    });
  }

  static Map<String, String> status(AppProcess app) {
    return app.keyValues("/status");
  }

  static int ticks(AppProcess app) {
    return Integer.parseInt(status(app).get("ticks"));
  }
}
