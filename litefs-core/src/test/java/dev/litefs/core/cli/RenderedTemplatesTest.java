package dev.litefs.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.litefs.core.config.ConfigLoader;
import dev.litefs.core.config.LeaseType;
import dev.litefs.core.config.LiteFsConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What {@code litefs init} writes is valid for the tools that read it: litefs.yml for our own loader (as
 * {@code --validate} and as a Fly Machine reads it), fly.toml for a TOML parser with the keys Fly needs, and the
 * Dockerfiles by their instructions (no Docker here: nothing is built or run).
 */
class RenderedTemplatesTest {
  private static final Map<String, String> PRIMARY_REGION_MACHINE = Map.of(
      "FLY_APP_NAME", "my-app",
      "FLY_MACHINE_ID", "148e21ea7e6089",
      "FLY_REGION", "ord",
      "PRIMARY_REGION", "ord",
      "FLY_CONSUL_URL", "https://:s3cr3t@consul-iad-11.fly-shared.net/my-app-x8v1z2/");

  @TempDir Path managed;
  @TempDir Path sidecar;

  @BeforeEach
  void render() {
    assertThat(init(managed)).isZero();
    assertThat(init(sidecar, "--sidecar")).isZero();
  }

  private static int init(Path dir, String... extra) {
    List<String> args = new ArrayList<>(List.of("--app", "my-app", "--region", "ord", "--dir", dir.toString()));
    args.addAll(List.of(extra));
    CommandLine cli = new CommandLine(new InitCommand(dir));
    cli.setOut(new PrintWriter(new StringWriter()));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void litefsYmlPassesValidateWithNoVariableSet() {
    assertThat(new ConfigLoader(name -> null).check(managed.resolve("litefs.yml"), true)).isEmpty();
  }

  @Test
  void litefsYmlPassesTheMountCommandsValidateOption() {
    StringWriter out = new StringWriter();
    CommandLine cli = LiteFsCommand.newCommandLine();
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("mount", "-config", managed.resolve("litefs.yml").toString(), "-validate")).isZero();
    assertThat(out.toString()).isEqualTo("ok" + System.lineSeparator());
  }

  @Test
  void litefsYmlMakesAPrimaryRegionMachineAConsulCandidateNamedByItsMachineId() {
    LiteFsConfig config = load(PRIMARY_REGION_MACHINE);

    assertThat(config.fuse().dir()).isEqualTo("/litefs");
    assertThat(config.data().dir()).isEqualTo("/var/lib/litefs");
    assertThat(config.http().addr()).isEqualTo(":20202");
    assertThat(config.lease().type()).isEqualTo(LeaseType.CONSUL);
    assertThat(config.lease().candidate()).isTrue();
    assertThat(config.lease().promote()).isTrue();
    // fly-replay: instance=<.primary> reaches a Machine only by its Machine ID.
    assertThat(config.lease().hostname()).isEqualTo("148e21ea7e6089");
    assertThat(config.lease().advertiseUrl()).isEqualTo("http://148e21ea7e6089.vm.my-app.internal:20202");
    assertThat(config.lease().consul().url()).isEqualTo("https://:s3cr3t@consul-iad-11.fly-shared.net/my-app-x8v1z2/");
    assertThat(config.lease().consul().key()).isEqualTo("my-app/primary");
    assertThat(config.exec()).isEmpty();
  }

  @Test
  void litefsYmlMakesAMachineInAnotherRegionAReplica() {
    Map<String, String> env = new java.util.HashMap<>(PRIMARY_REGION_MACHINE);
    env.put("FLY_REGION", "lhr");

    assertThat(load(env).lease().candidate()).isFalse();
  }

  private LiteFsConfig load(Map<String, String> env) {
    return new ConfigLoader(env::get).load(managed.resolve("litefs.yml"), true).config();
  }

  @Test
  void bothModesShareOneLitefsYml() throws IOException {
    assertThat(sidecar.resolve("litefs.yml")).hasSameTextualContentAs(managed.resolve("litefs.yml"));
  }

  @Test
  void flyTomlParsesWithTheKeysFlyNeedsForALiteFsApp() throws IOException {
    JsonNode toml = new TomlMapper().readTree(managed.resolve("fly.toml").toFile());

    assertThat(toml.path("app").asText()).isEqualTo("my-app");
    assertThat(toml.path("primary_region").asText()).isEqualTo("ord");
    assertThat(toml.path("env").path("PRIMARY_REGION").asText()).isEqualTo("ord");
    assertThat(toml.path("kill_signal").asText()).isIn("SIGTERM", "SIGINT");
    // Room for the primary-only workers' drain (30s by default) and the lease handoff; Fly allows 300 at most.
    assertThat(toml.path("kill_timeout").asInt()).isBetween(45, 300);

    JsonNode mounts = toml.path("mounts");
    assertThat(mounts.path("source").asText()).isEqualTo("litefs");
    assertThat(mounts.path("destination").asText()).isEqualTo("/var/lib/litefs");

    JsonNode http = toml.path("http_service");
    assertThat(http.path("internal_port").asInt()).isEqualTo(8080);
    assertThat(http.path("force_https").isBoolean()).isTrue();
    assertThat(http.path("auto_stop_machines").asText()).isEqualTo("off");
    assertThat(http.path("auto_start_machines").isBoolean()).isTrue();
    assertThat(http.path("min_machines_running").asInt()).isGreaterThanOrEqualTo(2);
    JsonNode check = http.path("checks").path(0);
    assertThat(check.path("method").asText()).isEqualTo("GET");
    assertThat(check.path("path").asText()).isEqualTo("/actuator/health/readiness");
    assertThat(toml.path("env").path("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED").asText()).isEqualTo("true");
  }

  @Test
  void flyTomlMountsTheVolumeWhereLitefsYmlKeepsItsData() throws IOException {
    JsonNode toml = new TomlMapper().readTree(managed.resolve("fly.toml").toFile());

    assertThat(load(PRIMARY_REGION_MACHINE).data().dir()).isEqualTo(toml.path("mounts").path("destination").asText());
  }

  @Test
  void managedDockerfileBuildsWithMavenAndRunsTheAppInManagedModeOnAJreWithFuse() throws IOException {
    String dockerfile = Files.readString(managed.resolve("Dockerfile"));

    assertThat(stages(dockerfile)).containsExactly("maven:3.9-eclipse-temurin-17 AS build", "debian:bookworm-slim");
    assertThat(dockerfile).contains("RUN mvn -B -q -DskipTests package")
        .containsPattern("apt-get install -y --no-install-recommends [^\\n]*openjdk-17-jre-headless")
        .containsPattern("apt-get install [^\\n]* fuse3 ")
        .containsPattern("apt-get install [^\\n]* libfuse2 ")
        .contains("COPY --from=build /app.jar /app/app.jar")
        .contains("COPY litefs.yml /etc/litefs.yml")
        .contains("ENV LITEFS_MODE=managed");
    List<String> entrypoint = entrypoint(dockerfile);
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/app/app.jar");
  }

  @Test
  void sidecarDockerfileRunsTheAppUnderLitefsMountWithTheLauncherItCopies() throws IOException {
    String dockerfile = Files.readString(sidecar.resolve("Dockerfile"));

    assertThat(stages(dockerfile)).containsExactly("maven:3.9-eclipse-temurin-17 AS build", "debian:bookworm-slim");
    assertThat(dockerfile).contains("COPY docker/litefs /usr/local/bin/litefs")
        .contains("COPY --from=build /litefs.jar /usr/local/lib/litefs/litefs.jar")
        .containsPattern("apt-get install [^\\n]* fuse3 ")
        .containsPattern("apt-get install [^\\n]* libfuse2 ")
        .contains("ENV LITEFS_MODE=sidecar");
    List<String> entrypoint = entrypoint(dockerfile);
    assertThat(entrypoint.subList(0, 4)).containsExactly("litefs", "mount", "--", "java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/app/app.jar");
    assertThat(Files.readString(sidecar.resolve("docker/litefs")))
        .contains("exec java $LITEFS_JAVA_OPTS -jar /usr/local/lib/litefs/litefs.jar \"$@\"");
  }

  @Test
  void theJvmLimitsFitTheMachineMemoryThatFlyTomlStates() throws IOException {
    long machineMb = megabytes(new TomlMapper().readTree(managed.resolve("fly.toml").toFile())
        .path("vm").path(0).path("memory").asText());
    for (Path dir : List.of(managed, sidecar)) {
      String dockerfile = Files.readString(dir.resolve("Dockerfile"));
      String app = String.join(" ", entrypoint(dockerfile));
      String engine = envValue(dockerfile, "LITEFS_JAVA_OPTS");
      long jvms = limitsMb(app) + limitsMb(engine);

      assertThat(machineMb).isGreaterThanOrEqualTo(512);
      assertThat(dockerfile).contains("Memory budget of a " + machineMb + " MB Machine");
      // What the kernel, FUSE and the page cache keep: at least 32 MB.
      assertThat(jvms).as(dir + ": heaps, metaspaces and code caches").isLessThanOrEqualTo(machineMb - 32);
    }
  }

  private static List<String> stages(String dockerfile) {
    List<String> stages = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^FROM (.+)$").matcher(dockerfile);
    while (m.find()) {
      stages.add(m.group(1));
    }
    return stages;
  }

  // The exec (JSON) form, so that the JVM is PID 1 and receives Fly's kill_signal itself.
  private static List<String> entrypoint(String dockerfile) throws IOException {
    Matcher m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(dockerfile);
    assertThat(m.find()).as("an exec-form ENTRYPOINT").isTrue();
    List<String> args = new ArrayList<>();
    new ObjectMapper().readTree(m.group(1)).forEach(node -> args.add(node.asText()));
    return args;
  }

  private static String envValue(String dockerfile, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(m.find()).as(name + " in the Dockerfile").isTrue();
    return m.group(1);
  }

  private static long limitsMb(String flags) {
    long total = 0;
    Matcher m = Pattern.compile("-(?:Xmx|XX:MaxMetaspaceSize=|XX:ReservedCodeCacheSize=)(\\d+)m").matcher(flags);
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    assertThat(flags).contains("-Xmx").contains("-XX:MaxMetaspaceSize=");
    return total;
  }

  private static long megabytes(String flySize) {
    Matcher m = Pattern.compile("(\\d+)(mb|gb)").matcher(flySize);
    assertThat(m.matches()).as("fly.toml [[vm]] memory " + flySize).isTrue();
    return Long.parseLong(m.group(1)) * (m.group(2).equals("gb") ? 1024 : 1);
  }
}
