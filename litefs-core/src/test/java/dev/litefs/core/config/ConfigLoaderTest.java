package dev.litefs.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.litefs.core.testing.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
    "lz4, primary, n1, true, true, 127.0.0.1:20202",
    "lz4, replica, n2, true, false, 127.0.0.1:20203",
    "raw, primary, n1, false, true, 127.0.0.1:20202",
    "raw, replica, n2, false, false, 127.0.0.1:20203",
  })
  void loadsTheVectorConfigsOfTheCapturedCluster(String run, String role, String node, boolean compress,
      boolean candidate, String addr) {
    Path file = Vectors.path("config/" + run + "/" + role + ".litefs.yml");

    LoadedConfig loaded = ConfigFiles.loader(Map.of()).load(file, true);

    LiteFsConfig c = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(c.fuse().dir()).isEqualTo("/var/vectors/" + run + "/" + node + "/mnt");
    assertThat(c.data().dir()).isEqualTo("/var/vectors/" + run + "/" + node + "/data");
    assertThat(c.data().compress()).isEqualTo(compress);
    assertThat(c.http().addr()).isEqualTo(addr);
    assertThat(c.lease().type()).isEqualTo(LeaseType.STATIC);
    assertThat(c.lease().hostname()).isEqualTo("node1");
    assertThat(c.lease().advertiseUrl()).isEqualTo("http://127.0.0.1:20202");
    assertThat(c.lease().candidate()).isEqualTo(candidate);
    assertThat(c.exitOnError()).isFalse();
  }

  @Test
  void loadsAFullUpstreamConfigWithEveryKey() {
    LiteFsConfig c = ConfigFiles.load(dir, ConfigFiles.FULL_UPSTREAM);

    assertThat(c.exitOnError()).isFalse();
    assertThat(c.skipSync()).isTrue();
    assertThat(c.strictVerify()).isTrue();
    assertThat(c.exec()).containsExactly(new ExecEntry("rails db:migrate", true),
        new ExecEntry("rails server -p 8081", false));
    assertThat(c.data()).isEqualTo(new DataConfig("/data/litefs", false, Duration.ofHours(1),
        Duration.ofSeconds(30)));
    assertThat(c.fuse()).isEqualTo(new FuseConfig("/mnt/litefs", true, true));
    assertThat(c.http()).isEqualTo(new HttpConfig(":30303", Duration.ofMinutes(2), ""));
    assertThat(c.proxy()).isEqualTo(new ProxyConfig(":8080", "localhost:8081", "my.db", Duration.ofSeconds(20),
        true, List.of("/debug/*", "*.png"), List.of("/admin/*"), Duration.ofSeconds(7), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4)));
    assertThat(c.lease()).isEqualTo(new LeaseConfig(LeaseType.CONSUL, "myhost", "http://myhost:30303", false, true,
        Duration.ofSeconds(2), Duration.ofSeconds(20), List.of("a.db", "b.db"),
        new ConsulConfig("https://:secret@consul.example.com/prefix", "litefs/primary", Duration.ofSeconds(15),
            Duration.ofSeconds(2)),
        EtcdConfig.DEFAULT));
    assertThat(c.backup()).isEqualTo(new BackupConfig("file", "/backups", "https://backup.example.com",
        "mycluster", "token123"));
    assertThat(c.log()).isEqualTo(new LogConfig("json", true, true));
    assertThat(c.tracing()).isEqualTo(new TracingConfig(false, "/var/log/litefs/trace.log", 32, 10, false));
  }

  @Test
  void loadsTheExtensions() {
    LiteFsConfig c = ConfigFiles.load(dir, """
        http:
          token: "s3cret-token"
        lease:
          type: etcd
          etcd:
            endpoints: ["http://10.0.0.1:2379", "https://etcd.example.com:2379"]
            key: "/litefs/my-app/primary"
            ttl: 2s
        """);

    assertThat(c.http().token()).isEqualTo("s3cret-token");
    assertThat(c.lease().type()).isEqualTo(LeaseType.ETCD);
    assertThat(c.lease().etcd()).isEqualTo(new EtcdConfig(
        List.of("http://10.0.0.1:2379", "https://etcd.example.com:2379"), "/litefs/my-app/primary",
        Duration.ofSeconds(2)));
  }

  @Test
  void execAsAStringIsOneCommand() {
    LiteFsConfig c = ConfigFiles.load(dir, "exec: \"myapp -addr :8081\"\nlease: {type: static}\n");

    assertThat(c.exec()).containsExactly(new ExecEntry("myapp -addr :8081", false));
  }

  @Test
  void execAsASingleItemList() {
    LiteFsConfig c = ConfigFiles.load(dir, "exec:\n  - cmd: \"run me\"\nlease: {type: static}\n");

    assertThat(c.exec()).containsExactly(new ExecEntry("run me", false));
  }

  @Test
  void execListItemsCarryIfCandidate() {
    LiteFsConfig c = ConfigFiles.load(dir, """
        exec:
          - cmd: "run me"
            if-candidate: true

          - cmd: "run me too"
        lease: {type: static}
        """);

    assertThat(c.exec()).containsExactly(new ExecEntry("run me", true), new ExecEntry("run me too", false));
  }

  @Test
  void expandsTheEnvironmentBeforeParsing() {
    LiteFsConfig c = ConfigFiles.load(dir, """
        fuse:
          dir: "${FUSE_DIR}"
        lease:
          type: consul
          hostname: $HOSTNAME
          advertise-url: "http://${FLY_ALLOC_ID}.vm.${FLY_APP_NAME}.internal:20202"
          candidate: ${FLY_REGION == PRIMARY_REGION}
          promote: ${ FLY_REGION != 'ams' }
          consul:
            url: "${FLY_CONSUL_URL}"
            key: "${FLY_APP_NAME}/primary"
            ttl: ${TTL}
        """, Map.of("FUSE_DIR", "/mnt/x", "HOSTNAME", "host-1", "FLY_ALLOC_ID", "abc", "FLY_APP_NAME", "app",
        "FLY_REGION", "ams", "PRIMARY_REGION", "ams", "FLY_CONSUL_URL", "https://consul:8500", "TTL", "30s"));

    assertThat(c.fuse().dir()).isEqualTo("/mnt/x");
    assertThat(c.lease().hostname()).isEqualTo("host-1");
    assertThat(c.lease().advertiseUrl()).isEqualTo("http://abc.vm.app.internal:20202");
    assertThat(c.lease().candidate()).isTrue();
    assertThat(c.lease().promote()).isFalse();
    assertThat(c.lease().consul().url()).isEqualTo("https://consul:8500");
    assertThat(c.lease().consul().key()).isEqualTo("app/primary");
    assertThat(c.lease().consul().ttl()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void unsetVariableInAPlainValueIsNullAndKeepsTheDefaultAsInLiteFs() {
    LiteFsConfig c = ConfigFiles.load(dir, "data:\n  retention: ${RETENTION}\nlease:\n  type: static\n");

    assertThat(c.data().retention()).isEqualTo(DataConfig.DEFAULT.retention());
  }

  @Test
  void noExpandEnvTakesTheTextLiterally() {
    Path file = ConfigFiles.write(dir, "lease:\n  type: static\n  hostname: \"${HOST}\"\n");

    LiteFsConfig c = ConfigFiles.loader(Map.of("HOST", "expanded")).load(file, false).config();

    assertThat(c.lease().hostname()).isEqualTo("${HOST}");
  }

  @Test
  void expansionErrorsFailTheLoadNamingTheLine() {
    assertThat(ConfigFiles.loadProblems(dir, "lease:\n  type: static\n  hostname: ${HOST\n"))
        .containsExactly("litefs.yml:3: unterminated \"${\" (no closing \"}\")");
  }

  @Test
  void typeErrorsAfterExpansionNameTheLineAsWritten() {
    Map<String, String> env = Map.of("NAME", "line one\nline two\nline three");

    assertThat(ConfigFiles.loadProblems(dir, "lease:\n  hostname: \"$NAME\"\n  type: static\n  candidate: maybe\n",
        env)).containsExactly("litefs.yml:4: lease.candidate must be true or false, got \"maybe\"");
  }

  @Test
  void warnsOncePerKeyWhoseFeatureIsNotBuilt() {
    Path file = ConfigFiles.write(dir, """
        lease:
          type: static
        proxy:
          addr: ":8080"
          target: "localhost:8081"
          passthrough: ["/a", "/b"]
        backup:
          type: file
        tracing:
          path: /tmp/trace.log
        """);

    LoadedConfig loaded = ConfigFiles.loader(Map.of()).load(file, true);

    assertThat(ConfigFiles.relative(dir, loaded.warnings())).containsExactly(
        "litefs.yml:4: proxy.addr is accepted but the built-in proxy is not implemented in litefs-java; "
            + "use the Spring starter's fly-replay support",
        "litefs.yml:5: proxy.target is accepted but the built-in proxy is not implemented in litefs-java; "
            + "use the Spring starter's fly-replay support",
        "litefs.yml:6: proxy.passthrough is accepted but the built-in proxy is not implemented in litefs-java; "
            + "use the Spring starter's fly-replay support",
        "litefs.yml:8: backup.type is accepted but backup streaming (to a file or LiteFS Cloud) is not "
            + "implemented in litefs-java",
        "litefs.yml:10: tracing.path is accepted but the trace log is not implemented in litefs-java");
  }

  @Test
  void missingFileIsAProblemNamingTheFile() {
    Path missing = dir.resolve("nope.yml");

    assertThatThrownBy(() -> ConfigFiles.loader(Map.of()).load(missing, true)).isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": cannot read the config file: no such file");
  }

  @Test
  void fileThatIsNotUtf8IsAProblem() throws Exception {
    Path file = Files.write(dir.resolve("latin1.yml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});

    assertThatThrownBy(() -> ConfigFiles.loader(Map.of()).load(file, true)).isInstanceOf(ConfigException.class)
        .hasMessage(file + ": cannot read the config file: it is not UTF-8 text");
  }

  @Test
  void unreadableFileIsAProblem() throws Exception {
    Path file = ConfigFiles.write(dir, "lease: {type: static}\n");
    Files.setPosixFilePermissions(file, Set.of());
    assumeFalse(Files.isReadable(file), "running as root, which reads any file");

    assertThatThrownBy(() -> ConfigFiles.loader(Map.of()).load(file, true)).isInstanceOf(ConfigException.class)
        .hasMessage(file + ": cannot read the config file: permission denied");
  }

  @Test
  void directoryInsteadOfAFileIsAProblem() {
    assertThatThrownBy(() -> ConfigFiles.loader(Map.of()).load(dir, true)).isInstanceOf(ConfigException.class)
        .hasMessage(dir + ": cannot read the config file: Is a directory");
  }

  @Test
  void searchesTheWorkingDirectoryThenHomeThenEtc() {
    Path work = dir.resolve("work");
    Path home = dir.resolve("home");

    assertThat(ConfigLoader.searchPaths(work, home)).containsExactly(work.resolve("litefs.yml"),
        home.resolve("litefs.yml"), Path.of("/etc/litefs.yml"));
  }

  @Test
  void locateReturnsTheFirstFileThatExists() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    Path home = Files.createDirectory(dir.resolve("home"));
    Files.writeString(home.resolve("litefs.yml"), "lease: {type: static}\n");
    List<Path> paths = List.of(work.resolve("litefs.yml"), home.resolve("litefs.yml"));

    assertThat(ConfigLoader.locate(paths)).isEqualTo(home.resolve("litefs.yml"));

    Files.writeString(work.resolve("litefs.yml"), "lease: {type: static}\n");
    assertThat(ConfigLoader.locate(paths)).isEqualTo(work.resolve("litefs.yml"));
  }

  @Test
  void locateFailsListingWhereItLooked() {
    Path a = dir.resolve("a/litefs.yml");

    assertThatThrownBy(() -> ConfigLoader.locate(List.of(a))).isInstanceOf(ConfigException.class)
        .hasMessage("litefs.yml: config file not found; looked for " + a + " (name one with -config)");
  }
}
