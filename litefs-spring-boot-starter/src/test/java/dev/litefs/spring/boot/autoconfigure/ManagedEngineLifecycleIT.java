package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.spring.testing.AppProcess;
import dev.litefs.core.testing.Await;
import dev.litefs.spring.testing.ExecutableJar;
import dev.litefs.spring.testing.FreePorts;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real Spring Boot application in managed mode, in its own JVM: how its engine process starts (also from an
 * executable jar), stops with it, and never outlives it, even when startup fails.
 */
class ManagedEngineLifecycleIT {
  static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;
  AppProcess app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void inAutoModeALeaseIsEnoughAndStoppingTheApplicationStopsItsEngineWhichUnmounts() throws Exception {
    Map<String, String> props = ManagedCluster.staticPrimary(tmp.resolve("a"), "a", FreePorts.next());
    props.remove("litefs.mode");
    app = ManagedCluster.start("a", tmp.resolve("a"), props);
    ProcessHandle engine = app.engine().orElseThrow();
    assertThat(app.keyValues("/status")).containsEntry("mode", "MANAGED").containsEntry("primary", "true");

    app.stop();

    assertThat(engine.isAlive()).isFalse();
    assertThat(app.hasMountEntry()).isFalse();
    assertThat(app.log()).contains("Stopping the LiteFS engine (pid " + engine.pid() + ")")
        .contains("[litefs] FuseMount - unmounted " + app.mountDir())
        .doesNotContain("exited unexpectedly");
  }

  @Test
  void fromAnExecutableJarTheEngineStartsThroughBootsPropertiesLauncher() throws Exception {
    Path jar = ExecutableJar.build(tmp.resolve("jar"), ManagedTestApp.class);
    app = AppProcess.startJar("a", tmp.resolve("a"), jar,
        ManagedCluster.staticPrimary(tmp.resolve("a"), "a", FreePorts.next()));
    ProcessHandle engine = app.engine().orElseThrow();

    assertThat(ManagedStaticClusterIT.commandLine(engine.pid())).contains("-cp " + jar)
        .contains("-Dloader.main=" + ManagedEngineMain.class.getName())
        .contains(EngineCommand.PROPERTIES_LAUNCHER + " mount -config");
    HttpResponse<String> write = app.post("/items", "from-a-jar", "Content-Type", "text/plain");
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    assertThat(app.get("/items/" + write.body().substring(0, write.body().indexOf(' '))).body())
        .isEqualTo("from-a-jar read on a");
  }

  @Test
  void aReplicaThatCannotReachItsPrimaryFailsStartupAfterTheTimeoutAndLeavesNothingBehind() throws Exception {
    int closedPort = FreePorts.next();
    Map<String, String> props = ManagedCluster.staticReplica(tmp.resolve("b"), "b", "nobody", closedPort);
    // Long enough for the engine to mount even on a loaded machine, so the wait is for the primary.
    props.put("litefs.managed.startup-timeout", "10s");
    app = AppProcess.launch("b", tmp.resolve("b"), ManagedTestApp.class, props);

    assertThat(app.awaitExit(EXIT)).isNotZero();

    String log = app.log();
    assertThat(log).contains("APPLICATION FAILED TO START").contains("was not ready within PT10S")
        .contains("neither primary nor synced").contains("litefs.managed.startup-timeout");
    Matcher pid = Pattern.compile("Stopping the LiteFS engine \\(pid (\\d+)\\)").matcher(log);
    assertThat(pid.find()).as("the engine was stopped").isTrue();
    assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive)).isNotEqualTo(
        java.util.Optional.of(true));
    assertThat(app.hasMountEntry()).isFalse();
  }

  @Test
  void theEnginesConfigIsDeletedOnceItIsReadBecauseItMayHoldTheToken() throws Exception {
    Map<String, String> props = ManagedCluster.staticPrimary(tmp.resolve("a"), "a", FreePorts.next());
    props.put("litefs.managed.http.token", "s3cret-token");
    app = ManagedCluster.start("a", tmp.resolve("a"), props);
    String cmd = ManagedStaticClusterIT.commandLine(app.engine().orElseThrow().pid());
    Matcher config = Pattern.compile("-config (\\S+)").matcher(cmd);
    assertThat(config.find()).isTrue();

    assertThat(Path.of(config.group(1))).doesNotExist();
    // The starter follows the engine's events with the token (without it the node API answers 401).
    Await.until("a connected to its engine's events", Duration.ofSeconds(10),
        () -> app.keyValues("/status").get("connected").equals("true"));
    assertThat(app.post("/items", "with-token", "Content-Type", "text/plain").statusCode()).isEqualTo(200);
    assertThat(Files.readString(tmp.resolve("a").resolve("a.log"))).doesNotContain("s3cret-token");
  }
}
