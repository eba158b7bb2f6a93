package dev.litefs.core.cli;

import dev.litefs.core.config.ConfigException;
import dev.litefs.core.config.ConfigLoader;
import dev.litefs.core.config.ConfigProblem;
import dev.litefs.core.config.ExecEntry;
import dev.litefs.core.config.LiteFsConfig;
import dev.litefs.core.config.NotYetImplemented;
import dev.litefs.core.config.SystemEnvironment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code litefs mount [options] [-- CMD ARGS...]}: LiteFS's mount command, with its flags in both Go's
 * single-dash and the double-dash spelling. Reads and validates the config; {@code --validate} stops there and
 * prints {@code ok} or each problem; otherwise the store is opened and mounted and the exec commands run
 * ({@link MountProcess}).
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    customSynopsis = "litefs mount [OPTIONS] [-- CMD [ARGS...]]",
    description = {
      "Mounts the LiteFS file system, joins the cluster and runs the exec commands once the node is ready.",
      "",
      "Settings are read from the -config file, or else from the first litefs.yml found in the working "
          + "directory, the home directory and /etc. A command after -- replaces the config's exec.",
      "",
      "Exit status: the exec command's status once it exits; 0 when --validate finds the config valid or a "
          + "signal stopped a mount without exec; 1 when startup fails; 2 for an invalid config or option."
    })
public final class MountCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(MountCommand.class);

  /** The exit status of an invalid config or command line, as LiteFS's. */
  static final int EXIT_INVALID = 2;

  private final ConfigLoader loader;
  private final List<Path> searchPaths;

  @Spec
  private CommandSpec spec;

  @Option(names = {"-config", "--config"}, paramLabel = "PATH",
      description = "The config file; disables the search of the default locations.")
  private Path configFile;

  @Option(names = {"-validate", "--validate"},
      description = "Check the config as written (schema, types, required keys, expansion syntax) without "
          + "reading the environment variables it references; print each problem or 'ok' and exit.")
  private boolean validate;

  @Option(names = {"-no-expand-env", "--no-expand-env"},
      description = "Do not expand $VAR and $${...} in the config.")
  private boolean noExpandEnv;

  // Accepted now so that LiteFS command lines work; the mount will honour it.
  @Option(names = {"-skip-unmount", "--skip-unmount"},
      description = "Do not unmount a mount left at fuse.dir by an earlier run.")
  private boolean skipUnmount;

  @Option(names = {"-debug", "--debug"}, description = "Log at debug level (sets log.debug).")
  private boolean debug;

  @Option(names = {"-fuse.debug", "--fuse.debug"}, description = "Log every FUSE call (sets fuse.debug).")
  private boolean fuseDebug;

  @Option(names = {"-tracing", "--tracing"}, description = "LiteFS's trace log to stdout (not implemented).")
  private boolean tracing;

  @Parameters(paramLabel = "CMD", description = "After --: the command to run, replacing the config's exec.")
  private List<String> command = new ArrayList<>();

  /** Creates the command as {@code litefs} runs it: the process environment and the default search paths. */
  public MountCommand() {
    this(new ConfigLoader(new SystemEnvironment()), ConfigLoader.defaultSearchPaths());
  }

  /** Creates the command with another environment or search path, for tests. */
  MountCommand(ConfigLoader loader, List<Path> searchPaths) {
    this.loader = loader;
    this.searchPaths = List.copyOf(searchPaths);
  }

  @Override
  public Integer call() {
    rejectStrayArguments();
    if (tracing) {
      NotYetImplemented.reason("tracing").ifPresent(reason -> LOG.warn("-tracing is accepted but {}", reason));
    }
    return validate ? validate() : mount();
  }

  /**
   * Loads the config (expanded unless {@code -no-expand-env}) and applies the command line over it: the command
   * after {@code --} replaces {@code exec}, {@code -debug} sets {@code log.debug} and {@code -fuse.debug} sets
   * {@code fuse.debug}.
   *
   * @throws ConfigException when no config is found or it is invalid
   */
  LiteFsConfig effectiveConfig() {
    LiteFsConfig config = loader.load(configFile(), !noExpandEnv).config();
    if (!command.isEmpty()) {
      config = config.withExec(List.of(new ExecEntry(commandLine(command), false)));
    }
    if (debug) {
      config = config.withLog(config.log().withDebug(true));
    }
    if (fuseDebug) {
      config = config.withFuse(config.fuse().withDebug(true));
    }
    return config;
  }

  /** Mounts and supervises the exec commands until they exit or a signal arrives. */
  private int mount() {
    LiteFsConfig config;
    try {
      config = effectiveConfig();
    } catch (ConfigException e) {
      PrintWriter err = spec.commandLine().getErr();
      e.problems().forEach(problem -> err.println("ERROR: " + problem));
      return EXIT_INVALID;
    }
    return new MountProcess(config, skipUnmount).run();
  }

  /**
   * The exec command for the arguments after {@code --}. One argument is split as a command line when run, as
   * LiteFS does, so {@code -- "npm start"} runs npm; several are kept as they are (quoted here, split back
   * into the same words when run), so {@code -- sh -c "exit 3"} runs sh with two arguments, where LiteFS's
   * plain join would lose the quoting.
   */
  static String commandLine(List<String> args) {
    if (args.size() == 1) {
      return args.get(0);
    }
    StringBuilder b = new StringBuilder();
    for (String a : args) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append('\'').append(a.replace("'", "'\\''")).append('\'');
    }
    return b.toString();
  }

  private int validate() {
    List<ConfigProblem> problems;
    try {
      problems = loader.check(configFile(), !noExpandEnv);
    } catch (ConfigException notFound) {
      problems = notFound.problems();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (problems.isEmpty()) {
      out.println("ok");
      return 0;
    }
    problems.forEach(out::println);
    return EXIT_INVALID;
  }

  private Path configFile() {
    if (configFile != null) {
      return configFile;
    }
    Path found = ConfigLoader.locate(searchPaths);
    LOG.info("config file read from {}", found);
    return found;
  }

  /** Positional arguments are only allowed after {@code --}, as in LiteFS. */
  private void rejectStrayArguments() {
    List<String> args = spec.commandLine().getParseResult().expandedArgs();
    int dashes = args.indexOf("--");
    int afterDashes = dashes < 0 ? 0 : args.size() - dashes - 1;
    if (command.size() > afterDashes) {
      throw new ParameterException(spec.commandLine(), "too many arguments (" + command.get(0)
          + "); put -- before the command to run: litefs mount -- CMD ARGS...");
    }
  }
}
