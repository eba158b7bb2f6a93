package dev.litefs.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code litefs.yml} as LiteFS does: environment expansion on the raw text (unless disabled), then YAML
 * with unknown keys rejected, bound over LiteFS's defaults, then validated. Unlike LiteFS it reports every
 * problem it finds, each with the key's full path and the line as written, and it can check a file without
 * the environment ({@link #check}).
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** The file name searched for. */
  public static final String FILE_NAME = "litefs.yml";

  private final Function<String, String> environment;

  /**
   * Creates a loader that expands variables with {@code environment} (a name to its value, or {@code null} when
   * unset), such as {@link SystemEnvironment}.
   */
  public ConfigLoader(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * Loads {@code file} for use, and logs its warnings.
   *
   * @param expandEnv expand {@code $VAR} and {@code ${...}} first; false is {@code -no-expand-env}
   * @throws ConfigException with every problem when the file cannot be read or is invalid
   */
  public LoadedConfig load(Path file, boolean expandEnv) {
    Outcome outcome = read(file, expandEnv ? expression -> expression.evaluate(environment) : null);
    if (outcome.problems.hasErrors()) {
      throw new ConfigException(outcome.problems.errors());
    }
    return new LoadedConfig(file, outcome.config.orElseThrow(), outcome.problems.warnings());
  }

  /**
   * Checks {@code file} as written, for {@code --validate}, without reading any environment variable. Each
   * {@code ${...}} is checked for syntax and replaced with a {@link StandIns stand-in}: a key built from a
   * variable is accepted as written, and one built from a comparison must be valid both when it is true and
   * when it is false. Logs the warnings.
   *
   * @param expandEnv check the expansion syntax; false is {@code -no-expand-env} (the text is taken literally)
   * @return every error, in file order; empty when the file is valid
   */
  public List<ConfigProblem> check(Path file, boolean expandEnv) {
    return read(file, expandEnv ? StandIns::of : null).problems.errors();
  }

  /**
   * Returns where {@code litefs mount} looks for a config file without {@code -config}, in order, as LiteFS
   * does: the working directory, the home directory, then {@code /etc}.
   */
  public static List<Path> searchPaths(Path workingDirectory, Path homeDirectory) {
    return List.of(workingDirectory.resolve(FILE_NAME), homeDirectory.resolve(FILE_NAME),
        Path.of("/etc", FILE_NAME));
  }

  /** Returns {@link #searchPaths} for this process's working and home directories. */
  public static List<Path> defaultSearchPaths() {
    return searchPaths(Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Returns the first of {@code searchPaths} that exists.
   *
   * @throws ConfigException when none does
   */
  public static Path locate(List<Path> searchPaths) {
    return searchPaths.stream().filter(Files::exists).findFirst().orElseThrow(() -> new ConfigException(List.of(
        new ConfigProblem(FILE_NAME, 0, "config file not found; looked for "
            + searchPaths.stream().map(Path::toString).collect(Collectors.joining(", "))
            + " (name one with -config)"))));
  }

  /**
   * Runs the stages, each only when the one before found no error (later stages would only repeat the
   * mistake in other words); within binding and validation, every problem is collected.
   *
   * @param render what replaces each {@code ${...}}; {@code null} to leave the text as it is
   */
  private Outcome read(Path file, Function<EnvExpression, String> render) {
    Problems problems = new Problems(file.toString());
    Optional<LiteFsConfig> config = readText(file, problems).flatMap(text -> {
      ExpandedText expanded = render == null ? ExpandedText.unexpanded(text)
          : EnvExpander.expand(text, render, problems);
      return problems.hasErrors() ? Optional.empty() : YamlReader.readMapping(expanded, problems);
    }).map(root -> {
      ConfigKeys keys = new ConfigKeys();
      LiteFsConfig bound = ConfigBinder.bind(root, problems, keys);
      ConfigValidator.validate(bound, keys, problems);
      NotYetImplemented.warn(keys, problems);
      return bound;
    });
    problems.warnings().forEach(warning -> LOG.warn("{}", warning));
    return new Outcome(config, problems);
  }

  private static Optional<String> readText(Path file, Problems problems) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      problems.error(0, "cannot read the config file: no such file");
    } catch (AccessDeniedException e) {
      problems.error(0, "cannot read the config file: permission denied");
    } catch (CharacterCodingException e) {
      problems.error(0, "cannot read the config file: it is not UTF-8 text");
    } catch (IOException e) {
      problems.error(0, "cannot read the config file: " + (e.getMessage() == null ? e : e.getMessage()));
    }
    return Optional.empty();
  }

  private record Outcome(Optional<LiteFsConfig> config, Problems problems) {}
}
