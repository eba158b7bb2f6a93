package dev.litefs.core.cli;

import dev.litefs.templates.FlyProject;
import dev.litefs.templates.FlyProject.EngineMode;
import dev.litefs.templates.ProjectTemplates;
import dev.litefs.templates.RenderedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code litefs init --app NAME --region REGION [--sidecar] [--dir DIR] [--force]}: writes the files that deploy a
 * Spring Boot application with litefs-java to Fly.io ({@link ProjectTemplates}) into a project directory. Existing
 * files are never replaced without {@code --force}, and every file is checked before any is written, so a refusal
 * leaves the directory as it was.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes fly.toml, litefs.yml and a Dockerfile for deploying a Spring Boot application with litefs-java to "
          + "Fly.io, then prints the next steps.",
      "",
      "Exit status: 0 when the files are written; 1 when a file exists (without --force) or cannot be written; "
          + "2 for an invalid option."
    })
public final class InitCommand implements Callable<Integer> {
  private final Path workingDirectory;

  @Spec
  private CommandSpec spec;

  @Option(names = {"-app", "--app"}, required = true, paramLabel = "NAME",
      description = "The Fly.io app name: lowercase letters, digits and dashes.")
  private String app;

  @Option(names = {"-region", "--region"}, required = true, paramLabel = "REGION",
      description = "The primary region, where the primary candidates run: a three-letter code such as ord.")
  private String region;

  @Option(names = {"-sidecar", "--sidecar"},
      description = "Run the application under 'litefs mount -- java -jar app.jar' instead of letting the "
          + "application start the engine itself (managed mode, the default).")
  private boolean sidecar;

  @Option(names = {"-dir", "--dir"}, paramLabel = "DIR",
      description = "The project directory to write into; default: the current directory.")
  private Path dir;

  @Option(names = {"-force", "--force"}, description = "Replace files that already exist.")
  private boolean force;

  /** Creates the command as {@code litefs} runs it, relative to the process's working directory. */
  public InitCommand() {
    this(Path.of("").toAbsolutePath());
  }

  /** Creates the command relative to another working directory, for tests. */
  InitCommand(Path workingDirectory) {
    this.workingDirectory = workingDirectory;
  }

  @Override
  public Integer call() {
    List<RenderedFile> files = ProjectTemplates.render(project());
    Path target = workingDirectory.resolve(dir == null ? Path.of("") : dir).normalize();
    PrintWriter err = spec.commandLine().getErr();
    if (Files.exists(target) && !Files.isDirectory(target)) {
      err.println("litefs init: " + target + " is not a directory; name a project directory with --dir");
      return 1;
    }
    List<String> existing = files.stream().map(RenderedFile::path)
        .filter(path -> Files.exists(target.resolve(path))).collect(Collectors.toList());
    if (!existing.isEmpty() && !force) {
      err.println("litefs init: not replacing " + String.join(", ", existing) + " in " + target
          + "; move them away, or pass --force to overwrite them");
      return 1;
    }
    try {
      for (RenderedFile file : files) {
        write(target.resolve(file.path()), file);
      }
    } catch (IOException e) {
      err.println("litefs init: cannot write into " + target + ": " + e.getMessage());
      return 1;
    }
    printNextSteps(target, files);
    return 0;
  }

  private FlyProject project() {
    try {
      return new FlyProject(app, region, sidecar ? EngineMode.SIDECAR : EngineMode.MANAGED);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void write(Path path, RenderedFile file) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, file.content());
    if (file.executable() && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static void step(PrintWriter out, String command, String comment) {
    out.println(comment.isEmpty() ? "  " + command : String.format("  %-42s # %s", command, comment));
  }

  private void printNextSteps(Path target, List<RenderedFile> files) {
    PrintWriter out = spec.commandLine().getOut();
    files.forEach(file -> out.println("wrote " + target.resolve(file.path())));
    out.println();
    out.println("Next steps (all of them, and Kubernetes: docs/deploy-fly.md in litefs-java):");
    out.println("  1. Add dev.litefs:litefs-spring-boot-starter to the application and set litefs.databases "
        + "(for example app.db); it serves on port 8080.");
    step(out, "2. fly apps create " + app, "");
    step(out, "3. fly consul attach", "the lease's FLY_CONSUL_URL secret");
    step(out, "4. fly deploy", "the first Machine, with its litefs volume, in " + region);
    step(out, "5. fly machine clone <id> --region " + region, "a second primary candidate");
    step(out, "   fly machine clone <id> --region <r>", "read replicas in other regions");
    out.flush();
  }
}
