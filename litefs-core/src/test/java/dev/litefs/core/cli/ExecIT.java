package dev.litefs.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.fuse.StaleMounts;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoreOptions;
import dev.litefs.core.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code litefs mount}'s supervisor, as LiteFS's: the exec list runs once the node is ready (all but the last
 * must succeed), {@code --} replaces it, signals are forwarded to the command, and litefs exits with the
 * command's status after unmounting.
 */
class ExecIT {
  @TempDir Path tmp;
  Process litefs;

  @AfterEach
  void cleanup() throws IOException {
    if (litefs != null && litefs.isAlive()) {
      litefs.destroyForcibly();
    }
    StaleMounts.abort(tmp.resolve("mnt"));
  }

  Process mount(String execYaml, boolean candidate, String... after) throws IOException {
    Path config = tmp.resolve("litefs.yml");
    Files.writeString(config, "fuse:\n  dir: \"" + tmp.resolve("mnt") + "\"\ndata:\n  dir: \"" + tmp.resolve("data")
        + "\"\nhttp:\n  addr: \"127.0.0.1:0\"\nlease:\n  type: static\n  candidate: " + candidate
        + "\n  hostname: \"node1\"\n  advertise-url: \"http://127.0.0.1:1\"\n" + (candidate ? "" : "skip-sync: true\n")
        + execYaml);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), "dev.litefs.core.cli.LiteFsCommand", "mount",
        "-config", config.toString()));
    cmd.addAll(List.of(after));
    litefs = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile()).start();
    return litefs;
  }

  String out() throws IOException {
    return Files.readString(tmp.resolve("out.log"));
  }

  @Test
  void theCommandAfterDashesRunsOnTheMountAndItsStatusIsLiteFsStatus() throws Exception {
    Process p = mount("", true, "--", "sh", "-c", "sqlite3 " + tmp.resolve("mnt/db") + " 'CREATE TABLE t(v)' && exit 3");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out()).isEqualTo(3);
    assertThat(StaleMounts.isMountedForTest(tmp.resolve("mnt"))).as("unmounted on exit").isFalse();
    try (Store store = Store.open(StoreOptions.defaults(tmp.resolve("data")))) {
      assertThat(store.database("db").map(d -> d.pos().txid().value())).as("the command wrote through the mount")
          .contains(1L);
    }
  }

  @Test
  void everyExecCommandButTheLastMustSucceedAndIfCandidateRunsOnlyOnCandidates() throws Exception {
    Path marks = tmp.resolve("marks");
    Files.createDirectories(marks);
    String exec = "exec:\n  - cmd: \"touch " + marks.resolve("migrate") + "\"\n    if-candidate: true\n"
        + "  - cmd: \"touch " + marks.resolve("always") + "\"\n  - cmd: \"sh -c 'exit 0'\"\n";
    assertThat(mount(exec, false).waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(litefs.exitValue()).as(out()).isZero();
    assertThat(marks.resolve("always")).exists();
    assertThat(marks.resolve("migrate")).as("if-candidate on a non-candidate").doesNotExist();

    Process failing = mount("exec:\n  - cmd: \"false\"\n  - cmd: \"touch " + marks.resolve("never") + "\"\n", true);
    assertThat(failing.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(failing.exitValue()).isEqualTo(1);
    assertThat(out()).contains("exec command \"false\" exited with status 1");
    assertThat(marks.resolve("never")).doesNotExist();
  }

  @Test
  void sigtermIsForwardedToTheCommandAndLiteFsExitsWithItsStatus() throws Exception {
    Path ready = tmp.resolve("ready");
    Process p = mount("", true, "--", "sh", "-c",
        "trap 'exit 42' TERM; touch " + ready + "; while true; do sleep 0.05; done");
    Await.until("the command started", Duration.ofSeconds(60), () -> Files.exists(ready));
    p.destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out()).isEqualTo(42);
    assertThat(out()).contains("forwarding signal 15");
    assertThat(StaleMounts.isMountedForTest(tmp.resolve("mnt"))).isFalse();
  }

  @Test
  void aCommandExitingWhileAnEventsSubscriberIsConnectedStopsTheEngineCleanlyWithTheCommandsStatus() throws Exception {
    Path ready = tmp.resolve("ready");
    Path stop = tmp.resolve("stop");
    Process p = mount("", true, "--", "sh", "-c",
        "touch " + ready + "; while [ ! -e " + stop + " ]; do sleep 0.05; done; exit 7");
    Await.until("the command started", Duration.ofSeconds(60), () -> Files.exists(ready));
    Matcher port = Pattern.compile("node API listening on [^:]+:(\\d+)").matcher(out());
    assertThat(port.find()).as(out()).isTrue();
    HttpResponse<InputStream> events = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/events"))
            .build(), HttpResponse.BodyHandlers.ofInputStream());
    try (var lines = new BufferedReader(new InputStreamReader(events.body()))) {
      assertThat(lines.readLine()).as("the init event").contains("\"init\"");
      Files.createFile(stop);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out()).isEqualTo(7);
    }
    assertThat(out()).doesNotContain("TimeoutException").doesNotContain("stopping the node API");
    assertThat(StaleMounts.isMountedForTest(tmp.resolve("mnt"))).isFalse();
  }
}
