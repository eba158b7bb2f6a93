package dev.litefs.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command: where it writes, what it refuses, what it prints. The files' content: RenderedTemplatesTest. */
class InitCommandTest {
  @TempDir Path cwd;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new InitCommand(cwd));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void writesIntoTheWorkingDirectoryByDefault() {
    assertThat(run("--app", "my-app", "--region", "ord")).isZero();

    assertThat(cwd.resolve("fly.toml")).exists();
    assertThat(cwd.resolve("litefs.yml")).exists();
    assertThat(cwd.resolve("Dockerfile")).exists();
    assertThat(cwd.resolve("docker")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "--"})
  void writesIntoDirCreatingItAndAcceptsBothDashStyles(String dash) {
    assertThat(run(dash + "app", "my-app", dash + "region", "ord", dash + "dir", "deploy/fly", dash + "sidecar"))
        .isZero();

    Path dir = cwd.resolve("deploy/fly");
    assertThat(dir.resolve("fly.toml")).exists();
    assertThat(dir.resolve("Dockerfile")).content().contains("litefs mount");
    assertThat(dir.resolve("docker/litefs")).exists();
  }

  @Test
  void theSidecarLauncherIsExecutable() throws IOException {
    assertThat(run("--app", "my-app", "--region", "ord", "--sidecar")).isZero();

    assertThat(Files.getPosixFilePermissions(cwd.resolve("docker/litefs")))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
  }

  @Test
  void printsWhatItWroteAndTheNextSteps() {
    run("--app", "my-app", "--region", "ams");

    assertThat(out.toString())
        .contains("wrote " + cwd.resolve("fly.toml"))
        .contains("wrote " + cwd.resolve("Dockerfile"))
        .contains("fly apps create my-app")
        .contains("fly consul attach")
        .contains("fly deploy")
        .contains("fly machine clone <id> --region ams");
  }

  @Test
  void refusesToReplaceExistingFilesNamingThemAndWritesNothing() throws IOException {
    Files.writeString(cwd.resolve("Dockerfile"), "FROM mine\n");
    Files.writeString(cwd.resolve("fly.toml"), "app = \"mine\"\n");

    assertThat(run("--app", "my-app", "--region", "ord")).isEqualTo(1);

    assertThat(err.toString()).contains("not replacing fly.toml, Dockerfile in " + cwd)
        .contains("pass --force to overwrite them");
    assertThat(cwd.resolve("Dockerfile")).hasContent("FROM mine");
    assertThat(cwd.resolve("litefs.yml")).doesNotExist();
  }

  @Test
  void forceReplacesExistingFiles() throws IOException {
    Files.writeString(cwd.resolve("Dockerfile"), "FROM mine\n");

    assertThat(run("--app", "my-app", "--region", "ord", "--force")).isZero();

    assertThat(cwd.resolve("Dockerfile")).content().contains("openjdk-17-jre-headless");
  }

  @Test
  void refusesADirThatIsAFile() throws IOException {
    Files.writeString(cwd.resolve("plain"), "x");

    assertThat(run("--app", "my-app", "--region", "ord", "--dir", "plain")).isEqualTo(1);
    assertThat(err.toString()).contains(cwd.resolve("plain") + " is not a directory");
  }

  @Test
  void rejectsAnInvalidAppNameAsAUsageError() {
    assertThat(run("--app", "My_App", "--region", "ord")).isEqualTo(2);

    assertThat(err.toString()).contains("invalid app name \"My_App\"").contains("lowercase letters, digits and dashes");
    assertThat(cwd).isEmptyDirectory();
  }

  @Test
  void rejectsAnInvalidRegionAsAUsageError() {
    assertThat(run("--app", "my-app", "--region", "chicago")).isEqualTo(2);

    assertThat(err.toString()).contains("invalid region \"chicago\"");
    assertThat(cwd).isEmptyDirectory();
  }

  @Test
  void requiresAppAndRegion() {
    assertThat(run("--app", "my-app")).isEqualTo(2);

    assertThat(err.toString()).contains("region=REGION");
  }

  @Test
  void isASubcommandOfLitefs() {
    assertThat(LiteFsCommand.newCommandLine().getSubcommands()).containsKey("init");
  }
}
