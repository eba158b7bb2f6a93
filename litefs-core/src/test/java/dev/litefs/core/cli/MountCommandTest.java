package dev.litefs.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.config.ConfigLoader;
import dev.litefs.core.config.ExecEntry;
import dev.litefs.core.config.LiteFsConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MountCommandTest {
  private static final String VALID = "lease:\n  type: static\n  hostname: ${HOST}\nexec: \"app serve\"\n";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Map<String, String> env = Map.of();

  private MountCommand command() {
    return new MountCommand(new ConfigLoader(name -> env.get(name)), List.of(dir.resolve("litefs.yml")));
  }

  private int run(MountCommand command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private int run(String... args) {
    return run(command(), args);
  }

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-config", "--config"})
  void validatePrintsOkAndExitsZeroForAValidFile(String option) throws IOException {
    Path file = write("my.yml", VALID);

    assertThat(run(option, file.toString(), "--validate")).isZero();
    assertThat(out.toString()).isEqualTo("ok" + System.lineSeparator());
  }

  @Test
  void acceptsGoStyleSingleDashAndEqualsSigns() throws IOException {
    Path file = write("my.yml", VALID);

    assertThat(run("-config=" + file, "-validate")).isZero();
    assertThat(run("--config=" + file, "-validate=true", "-debug=false")).isZero();
  }

  @Test
  void validatePrintsEachProblemAndExitsTwoForAnInvalidFile() throws IOException {
    Path file = write("my.yml", "lease:\n  type: zookeeper\nfuse:\n  dirr: /x\n");

    assertThat(run("-config", file.toString(), "-validate")).isEqualTo(2);
    assertThat(out.toString().lines()).containsExactly(
        file + ":2: lease.type must be static, consul or etcd, got \"zookeeper\"",
        file + ":4: unknown key \"fuse.dirr\"; fuse has dir, allow-other, debug");
  }

  @Test
  void validateNeedsNoneOfTheVariablesTheFileReferences() throws IOException {
    Path file = write("my.yml", "lease:\n  type: consul\n  candidate: ${FLY_REGION == PRIMARY_REGION}\n"
        + "  consul:\n    url: \"${FLY_CONSUL_URL}\"\n    key: \"${FLY_APP_NAME}/primary\"\n");
    MountCommand command = new MountCommand(new ConfigLoader(name -> {
      throw new AssertionError("read " + name);
    }), List.of());

    assertThat(run(command, "-config", file.toString(), "-validate")).isZero();
    assertThat(out.toString()).isEqualTo("ok" + System.lineSeparator());
  }

  @Test
  void validateRejectsBadExpansionSyntax() throws IOException {
    Path file = write("my.yml", "lease:\n  type: static\n  hostname: ${HOST\n");

    assertThat(run("-config", file.toString(), "-validate")).isEqualTo(2);
    assertThat(out.toString().lines()).containsExactly(file + ":3: unterminated \"${\" (no closing \"}\")");
  }

  @Test
  void validateWithoutExpansionTakesTheTextLiterally() throws IOException {
    Path file = write("my.yml", "lease:\n  type: static\n  candidate: ${A == B}\n");

    assertThat(run("-config", file.toString(), "-validate", "-no-expand-env")).isEqualTo(2);
    assertThat(out.toString()).contains(":3: lease.candidate must be true or false, got \"${A == B}\"");
  }

  @Test
  void searchesTheDefaultLocationsWithoutConfig() throws IOException {
    write("litefs.yml", VALID);

    assertThat(run("-validate")).isZero();
  }

  @Test
  void failsWithTwoWhenNoConfigIsFound() {
    assertThat(run("-validate")).isEqualTo(2);
    assertThat(out.toString()).startsWith("litefs.yml: config file not found; looked for " + dir);
  }

  @Test
  void rejectsAStrayPositionalArgument() throws IOException {
    Path file = write("my.yml", VALID);

    assertThat(run("-config", file.toString(), "app")).isEqualTo(2);
    assertThat(err.toString()).startsWith("too many arguments (app); put -- before the command to run");
  }

  @Test
  void rejectsAStrayArgumentEvenWithACommandAfterDashes() throws IOException {
    Path file = write("my.yml", VALID);

    assertThat(run("-config", file.toString(), "stray", "--", "app")).isEqualTo(2);
    assertThat(err.toString()).startsWith("too many arguments (stray)");
  }

  @Test
  void argumentsAfterDashesReplaceExec() throws IOException {
    Path file = write("my.yml", VALID);
    MountCommand command = command();
    new CommandLine(command).parseArgs("-config", file.toString(), "--", "java", "-jar", "app.jar", "--", "x");

    LiteFsConfig config = command.effectiveConfig();

    assertThat(config.exec()).containsExactly(new ExecEntry("'java' '-jar' 'app.jar' '--' 'x'", false));
    assertThat(ShellWords.split(config.exec().get(0).cmd())).containsExactly("java", "-jar", "app.jar", "--", "x");
  }

  @Test
  void oneArgumentAfterDashesIsACommandLineAsInLiteFs() throws IOException {
    Path file = write("my.yml", VALID);
    MountCommand command = command();
    new CommandLine(command).parseArgs("-config", file.toString(), "--", "npm run worker:start");

    assertThat(ShellWords.split(command.effectiveConfig().exec().get(0).cmd()))
        .containsExactly("npm", "run", "worker:start");
  }

  @Test
  void severalArgumentsAfterDashesKeepTheirQuoting() throws IOException {
    Path file = write("my.yml", VALID);
    MountCommand command = command();
    new CommandLine(command).parseArgs("-config", file.toString(), "--", "sh", "-c", "echo 'it''s' && exit 3");

    assertThat(ShellWords.split(command.effectiveConfig().exec().get(0).cmd()))
        .containsExactly("sh", "-c", "echo 'it''s' && exit 3");
  }

  @Test
  void withoutACommandAfterDashesExecComesFromTheConfig() throws IOException {
    Path file = write("my.yml", VALID);
    MountCommand command = command();
    new CommandLine(command).parseArgs("-config", file.toString());

    assertThat(command.effectiveConfig().exec()).containsExactly(new ExecEntry("app serve", false));
  }

  @Test
  void debugFlagsOverrideTheConfig() throws IOException {
    Path file = write("my.yml", VALID);
    MountCommand command = command();
    new CommandLine(command).parseArgs("-config", file.toString(), "-debug", "-fuse.debug");

    LiteFsConfig config = command.effectiveConfig();

    assertThat(config.log().debug()).isTrue();
    assertThat(config.fuse().debug()).isTrue();
  }

  @Test
  void expandsTheEnvironmentUnlessNoExpandEnv() throws IOException {
    Path file = write("my.yml", VALID);
    env = Map.of("HOST", "node-7");
    MountCommand expanding = command();
    MountCommand literal = command();
    new CommandLine(expanding).parseArgs("-config", file.toString());
    new CommandLine(literal).parseArgs("--config", file.toString(), "--no-expand-env");

    assertThat(expanding.effectiveConfig().lease().hostname()).isEqualTo("node-7");
    assertThat(literal.effectiveConfig().lease().hostname()).isEqualTo("${HOST}");
  }

  @Test
  void acceptsEveryUpstreamMountFlagTogether() throws IOException {
    Path file = write("my.yml", VALID);

    assertThat(run("-config", file.toString(), "-validate", "-skip-unmount", "-fuse.debug", "-debug", "-tracing"))
        .isZero();
    assertThat(out.toString()).isEqualTo("ok\n");
  }

  @Test
  void mountReportsAnInvalidConfigAndExitsTwo() throws IOException {
    Path file = write("my.yml", "fuse:\n  dir: /litefs\n");

    assertThat(run("--config", file.toString(), "--skip-unmount")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("ERROR: " + file + ": lease.type is required: static, "
        + "consul or etcd");
  }

  @Test
  void rejectsAnUnknownOption() {
    assertThat(run("-mountpoint", "/x")).isEqualTo(2);
    assertThat(err.toString()).startsWith("Unknown option: '-mountpoint'");
  }
}
