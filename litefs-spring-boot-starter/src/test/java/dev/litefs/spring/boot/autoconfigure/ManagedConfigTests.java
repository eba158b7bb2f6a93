package dev.litefs.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Which litefs.yml managed mode runs, and what the starter takes from it. */
class ManagedConfigTests {
  @TempDir
  Path tmp;

  final LiteFsProperties props = new LiteFsProperties();
  final MockEnvironment env = new MockEnvironment();
  final Map<String, String> processEnv = Map.of("FLY_MACHINE_ID", "148e21ea", "FLY_APP_NAME", "my-app");

  ManagedConfig resolve(List<Path> searchPaths) {
    return ManagedConfig.resolve(props, env, "local-host", tmp, processEnv::get, searchPaths);
  }

  Path userFile(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("user-litefs.yml"), yaml);
  }

  static final String FLY_YML = """
      fuse:
        dir: "/data/mnt"
      data:
        dir: "/var/lib/litefs"
      http:
        addr: ":20203"
        token: "t0ken"
      lease:
        type: "consul"
        hostname: "${FLY_MACHINE_ID}"
        advertise-url: "http://${FLY_MACHINE_ID}.vm.${FLY_APP_NAME}.internal:20203"
        consul:
          url: "http://consul:8500"
          key: "${FLY_APP_NAME}/primary"
      """;

  @Test
  void aUserFileIsReadAsTheEngineWillReadItAndGivesTheMountEventsTokenAndHostname() throws IOException {
    props.getManaged().setConfig(userFile(FLY_YML));

    ManagedConfig c = resolve(List.of());

    assertThat(c.generated()).isFalse();
    assertThat(c.file()).isEqualTo(tmp.resolve("user-litefs.yml"));
    assertThat(c.mountDir()).isEqualTo(Path.of("/data/mnt"));
    assertThat(c.eventsUrl()).isEqualTo(URI.create("http://127.0.0.1:20203/events"));
    assertThat(c.token()).isEqualTo("t0ken");
    assertThat(c.hostname()).isEqualTo("148e21ea");
    assertThat(c.config().lease().consul().key()).isEqualTo("my-app/primary");
  }

  @Test
  void withoutConfigOrLeaseTheEnginesSearchPathIsUsedAsTheDockerfileTemplateExpects() throws IOException {
    Path etc = Files.writeString(tmp.resolve("etc-litefs.yml"), FLY_YML);

    ManagedConfig c = resolve(List.of(tmp.resolve("missing.yml"), etc));

    assertThat(c.file()).isEqualTo(etc);
    assertThat(c.mountDir()).isEqualTo(Path.of("/data/mnt"));
  }

  @Test
  void withNothingToRunTheErrorSaysWhatToSet() {
    assertThatThrownBy(() -> resolve(List.of(tmp.resolve("a.yml"), tmp.resolve("b.yml"))))
        .isInstanceOfSatisfying(LiteFsStartupException.class, e -> {
          assertThat(e.getMessage()).contains("no litefs.yml").contains(tmp.resolve("b.yml").toString());
          assertThat(e.action()).contains("litefs.managed.lease.type").contains("litefs.managed.config");
        });
  }

  @Test
  void anExplicitMountDirThatDisagreesWithFuseDirFails() throws IOException {
    props.getManaged().setConfig(userFile(FLY_YML));
    props.setMountDir(Path.of("/litefs"));
    env.setProperty("litefs.mount-dir", "/litefs");

    assertThatThrownBy(() -> resolve(List.of())).isInstanceOf(LiteFsStartupException.class)
        .hasMessageContaining("litefs.mount-dir is /litefs").hasMessageContaining("/data/mnt");
  }

  @Test
  void aUserFileWithExecIsRefusedBecauseTheEngineWouldStartASecondApplication() throws IOException {
    props.getManaged().setConfig(userFile(FLY_YML + "exec:\n  - cmd: \"java -jar /app/app.jar\"\n"));

    assertThatThrownBy(() -> resolve(List.of())).isInstanceOfSatisfying(LiteFsStartupException.class, e -> {
      assertThat(e.getMessage()).contains("exec").contains("java -jar /app/app.jar");
      assertThat(e.action()).contains("litefs.mode=sidecar");
    });
  }

  @Test
  void anInvalidUserFileFailsWithTheLoadersProblemsAndHowToCheckIt() throws IOException {
    props.getManaged().setConfig(userFile("fuse:\n  dir: /litefs\nlease:\n  type: zookeeper\n"));

    assertThatThrownBy(() -> resolve(List.of())).isInstanceOfSatisfying(LiteFsStartupException.class, e -> {
      assertThat(e.getMessage()).contains("user-litefs.yml:4").contains("lease.type");
      assertThat(e.action()).contains("-validate");
    });
  }

  @Test
  void aLeaseTypeMakesTheStarterWriteTheFileIntoItsWorkDirectory() throws IOException {
    props.setMountDir(tmp.resolve("mnt"));
    props.getManaged().getLease().setType("static");
    props.getManaged().getHttp().setAddr("127.0.0.1:20299");
    props.getManaged().getHttp().setToken("${NOT_EXPANDED}");

    ManagedConfig c = resolve(List.of());

    assertThat(c.generated()).isTrue();
    assertThat(c.file()).isEqualTo(tmp.resolve("litefs.yml"));
    assertThat(Files.readString(c.file())).contains("dir: \"" + tmp.resolve("mnt") + "\"");
    assertThat(c.mountDir()).isEqualTo(tmp.resolve("mnt"));
    assertThat(c.eventsUrl()).isEqualTo(URI.create("http://127.0.0.1:20299/events"));
    assertThat(c.token()).isEqualTo("${NOT_EXPANDED}");
    assertThat(c.hostname()).isEqualTo("local-host");
  }

  @Test
  void aStaticReplicaWithoutThePrimarysHostnameIsRefusedRatherThanPointedAtItself() {
    props.getManaged().getLease().setType("static");
    props.getManaged().getLease().setCandidate(false);
    props.getManaged().getLease().setAdvertiseUrl(URI.create("http://primary-1:20202"));

    assertThatThrownBy(() -> resolve(List.of())).isInstanceOfSatisfying(LiteFsStartupException.class, e -> {
      assertThat(e.getMessage()).contains("litefs.managed.lease.hostname is not set");
      assertThat(e.action()).contains("primary's hostname");
    });
  }

  @Test
  void onAStaticReplicaTheLeaseHostnameNamesThePrimaryNotThisNode() throws IOException {
    props.getManaged().setConfig(userFile("""
        fuse:
          dir: /litefs
        lease:
          type: static
          candidate: false
          hostname: primary-1
          advertise-url: http://primary-1:20202
        """));

    assertThat(resolve(List.of()).hostname()).isEqualTo("local-host");
  }

  @Test
  void eventsAreReadOnLoopbackWhenTheApiListensOnEveryInterface() {
    assertThat(ManagedConfig.eventsUrl(":20202")).isEqualTo(URI.create("http://127.0.0.1:20202/events"));
    assertThat(ManagedConfig.eventsUrl("0.0.0.0:20202")).isEqualTo(URI.create("http://127.0.0.1:20202/events"));
    assertThat(ManagedConfig.eventsUrl("[::]:20202")).isEqualTo(URI.create("http://127.0.0.1:20202/events"));
    assertThat(ManagedConfig.eventsUrl("10.1.2.3:9")).isEqualTo(URI.create("http://10.1.2.3:9/events"));
    assertThat(ManagedConfig.eventsUrl("[fdaa::3]:9")).isEqualTo(URI.create("http://[fdaa::3]:9/events"));
  }
}
