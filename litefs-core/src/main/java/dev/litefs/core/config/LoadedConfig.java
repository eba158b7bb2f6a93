package dev.litefs.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A configuration read from a file, valid, with the warnings its loading logged.
 *
 * @param source the file
 * @param config the configuration
 * @param warnings keys that are accepted but have no effect yet (see {@link NotYetImplemented}), in file order
 */
public record LoadedConfig(Path source, LiteFsConfig config, List<ConfigProblem> warnings) {
  public LoadedConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(config, "config");
    warnings = List.copyOf(warnings);
  }
}
