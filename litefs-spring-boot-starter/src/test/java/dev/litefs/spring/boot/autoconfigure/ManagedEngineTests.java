package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Supervision of the engine's process, with shell scripts standing in for the engine: they "mount" by writing
 * {@code .lag} into a plain directory, which is what readiness reads. The real engine is in the {@code *IT}s.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagedEngineTests {
  @TempDir
  Path tmp;

  ManagedEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.stop();
    }
  }

  ManagedEngine engine(String script, Duration startupTimeout, Duration stopTimeout) {
    engine = new ManagedEngine(List.of("sh", "-c", script), new MountFiles(tmp), startupTimeout, stopTimeout);
    return engine;
  }

  /** Becomes a primary (lag 0) or stays a never-synced replica, then runs {@code then}. */
  String mounts(String lag, String then) {
    return "echo 'INFO MountProcess - waiting'; printf '" + lag + "\\n' > '" + tmp.resolve(".lag") + "'; " + then;
  }

  @Test
  void startReturnsOnceTheMountShowsAPrimaryAndRelaysTheEnginesLines(CapturedOutput output) throws Exception {
    engine(mounts("+0000000000", "echo 'INFO MountProcess - node is ready (primary)'; exec sleep 60"),
        Duration.ofSeconds(30), Duration.ofSeconds(5)).start();

    Await.until("the ready line relayed", Duration.ofSeconds(5),
        () -> output.toString().contains("[litefs] MountProcess - node is ready (primary)"));
    assertThat(output).contains("litefs.engine");
  }

  @Test
  void aReplicaThatNeverSyncsIsNotReadyAndTimesOutNamingWhatItWaitsFor() {
    ManagedEngine e = engine(mounts("+2147483647", "echo 'INFO Node - connecting to primary'; exec sleep 60"),
        Duration.ofMillis(800), Duration.ofSeconds(5));

    assertThatThrownBy(e::start).isInstanceOfSatisfying(LiteFsStartupException.class, ex -> {
      assertThat(ex.getMessage()).contains("not ready within PT0.8S").contains("neither primary nor synced")
          .contains("connecting to primary");
      assertThat(ex.action()).contains("litefs.managed.startup-timeout");
    });
    assertThat(ProcessHandle.of(e.pid())).as("the engine was stopped").isEmpty();
  }

  @Test
  void anEngineThatExitsDuringStartupFailsWithItsStatusAndLastLines() {
    ManagedEngine e = engine("echo 'ERROR MountProcess - cannot mount /litefs: /dev/fuse does not exist'; exit 1",
        Duration.ofSeconds(30), Duration.ofSeconds(5));

    assertThatThrownBy(e::start).isInstanceOfSatisfying(LiteFsStartupException.class, ex -> {
      assertThat(ex.getMessage()).contains("exited with status 1 before it was ready")
          .contains("/dev/fuse does not exist");
      assertThat(ex.action()).contains("fuse3 and libfuse2");
    });
  }

  @Test
  void anExitNobodyAskedForIsReportedWithItsStatus() throws Exception {
    ManagedEngine e = engine(mounts("+0000000000", "read line; exit 3"), Duration.ofSeconds(30), Duration.ofSeconds(5));
    e.start();
    CompletableFuture<Integer> reported = new CompletableFuture<>();
    e.watch((pid, status) -> reported.complete(status));

    ProcessHandle.of(e.pid()).orElseThrow().destroyForcibly();

    assertThat(reported.get(10, TimeUnit.SECONDS)).isEqualTo(137);
  }

  @Test
  void stopIsNotReportedAsAnUnexpectedExit() throws Exception {
    ManagedEngine e = engine(mounts("+0000000000", "exec sleep 60"), Duration.ofSeconds(30), Duration.ofSeconds(5));
    e.start();
    CompletableFuture<Integer> reported = new CompletableFuture<>();
    e.watch((pid, status) -> reported.complete(status));

    e.stop();

    assertThat(ProcessHandle.of(e.pid())).isEmpty();
    assertThat(reported).isNotDone();
  }

  @Test
  void anEngineThatIgnoresSigtermIsKilledAfterTheStopTimeout(CapturedOutput output) throws Exception {
    ManagedEngine e = engine(mounts("+0000000000", "trap '' TERM; while true; do sleep 1; done"),
        Duration.ofSeconds(30), Duration.ofMillis(300));
    e.start();
    long pid = e.pid();

    e.stop();

    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(output).contains("did not exit within PT0.3S of SIGTERM").contains("killing it");
  }

  @Test
  void aLaunchThatCannotStartSaysWhichJavaFailed() {
    ManagedEngine e = new ManagedEngine(List.of(tmp.resolve("no-java").toString()), new MountFiles(tmp),
        Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThatThrownBy(e::start).isInstanceOf(LiteFsStartupException.class).hasMessageContaining("no-java");
  }
}
