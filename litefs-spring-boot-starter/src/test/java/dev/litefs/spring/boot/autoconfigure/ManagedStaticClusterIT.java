package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.testing.AppProcess;
import dev.litefs.core.testing.Await;
import dev.litefs.spring.testing.FreePorts;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Spring Boot applications in managed mode, each in its own JVM, each starting its own engine process:
 * node {@code a} is the static primary, {@code b} its replica, on loopback. What a replica answers (Fly.io's
 * replay), read-your-writes against real replication, and primary-only work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagedStaticClusterIT {
  static final Duration SYNC = Duration.ofSeconds(30);

  AppProcess a;
  AppProcess b;

  @BeforeAll
  void startCluster(@TempDir Path tmp) throws IOException {
    int apiA = FreePorts.next();
    a = ManagedCluster.start("a", tmp.resolve("a"), ManagedCluster.staticPrimary(tmp.resolve("a"), "a", apiA));
    b = ManagedCluster.start("b", tmp.resolve("b"), ManagedCluster.staticReplica(tmp.resolve("b"), "b", "a", apiA));
  }

  @AfterAll
  void stopCluster() {
    for (AppProcess app : new AppProcess[] {b, a}) {
      if (app != null) {
        app.close();
      }
    }
  }

  @Test
  void eachApplicationStartsItsOwnEngineProcessAndOnlyTheEngineServesTheMount() throws IOException {
    for (AppProcess app : new AppProcess[] {a, b}) {
      ProcessHandle engine = app.engine().orElseThrow(() -> new AssertionError(app.name() + " has no engine"));
      assertThat(engine.parent().map(ProcessHandle::pid)).contains(app.pid());
      assertThat(commandLine(engine.pid())).contains(ManagedEngineMain.class.getName(), "mount", "-config");
      assertThat(holdsDevFuse(engine.pid())).as("the engine holds /dev/fuse").isTrue();
      assertThat(holdsDevFuse(app.pid())).as("the application's JVM holds no /dev/fuse").isFalse();
      assertThat(app.isMounted()).isTrue();
      assertThat(app.keyValues("/status")).containsEntry("mode", "MANAGED").containsEntry("connected", "true");
    }
    assertThat(a.keyValues("/status")).containsEntry("primary", "true");
    assertThat(b.keyValues("/status")).containsEntry("primary", "false").containsEntry("primaryHostname", "a");
    assertThat(b.log()).contains("[litefs] MountProcess - node is ready (replica of a)");
  }

  @Test
  void aPrimaryOnlyWriteSentToTheReplicaIsReplayedToThePrimaryAndRunsThere() {
    HttpResponse<String> onReplica = b.post("/items", "from-b", "Content-Type", "text/plain");
    assertThat(onReplica.statusCode()).isEqualTo(409);
    assertThat(onReplica.headers().firstValue("fly-replay")).hasValueSatisfying(v ->
        assertThat(v).startsWith("instance=a;state=primary-only;"));

    HttpResponse<String> onPrimary = a.post("/items", "from-a", "Content-Type", "text/plain");
    assertThat(onPrimary.statusCode()).isEqualTo(200);
    assertThat(onPrimary.body()).endsWith(" on a");
    assertThat(onPrimary.headers().firstValue("Litefs-Txid")).isPresent();
  }

  @Test
  void aReadCarryingTheWritersTokenIsServedByTheReplicaOnceReplicated() {
    HttpResponse<String> write = a.post("/items", "ryw", "Content-Type", "text/plain");
    assertThat(write.statusCode()).isEqualTo(200);
    String id = write.body().substring(0, write.body().indexOf(' '));
    String token = write.headers().firstValue("Litefs-Txid").orElseThrow();

    HttpResponse<String> read = b.get("/items/" + id, "Litefs-Txid", token);

    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("ryw read on b");
  }

  @Test
  void aReadAheadOfWhatTheReplicaCanReachWaitsThenIsReplayedToThePrimary() {
    String farAhead = "00000000000f4240";
    long start = System.nanoTime();
    HttpResponse<String> read = b.get("/items/1", "Litefs-Txid", farAhead);
    long waitedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(read.statusCode()).isEqualTo(409);
    assertThat(read.headers().firstValue("fly-replay")).hasValueSatisfying(v ->
        assertThat(v).startsWith("instance=a;state=txid-timeout;"));
    assertThat(waitedMs).as("waited litefs.consistency.max-wait (1 s) first").isGreaterThanOrEqualTo(900);
  }

  @Test
  void primaryOnlyScheduledJobAndWorkerRunOnThePrimaryOnly() {
    int before = Integer.parseInt(a.keyValues("/status").get("ticks"));
    // Long enough for the replica's 50 ms job to have run several times, if it ran at all.
    Await.until("a's job to tick 5 more times", SYNC,
        () -> Integer.parseInt(a.keyValues("/status").get("ticks")) >= before + 5);
    assertThat(a.keyValues("/status")).containsEntry("workerRunning", "true").containsEntry("workerStarts", "1");
    assertThat(b.keyValues("/status")).containsEntry("ticks", "0").containsEntry("workerRunning", "false")
        .containsEntry("workerStarts", "0");
  }

  /** Whether the process holds an open /dev/fuse: the FUSE server of a mount does. */
  static boolean holdsDevFuse(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().equals("/dev/fuse");
        } catch (IOException e) {
          return false; // closed meanwhile
        }
      });
    }
  }

  /** The whole command line (ProcessHandle.Info cuts long ones short). */
  static String commandLine(long pid) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
  }
}
