package dev.litefs.core.cli;

import dev.litefs.core.http.NodeClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litefs import -name NAME [-url URL] PATH}: replaces a database on the primary with a SQLite file. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Create or replace a database on the primary with a SQLite database file, as one transaction "
        + "that every replica receives. Safe on a live database: open connections see the new content.")
final class ImportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-name", "--name"}, required = true, paramLabel = "NAME", description = "The database's name in the mount.")
  String name;

  @Option(names = {"-url", "--url"}, paramLabel = "URL", defaultValue = "http://localhost:20202",
      description = "The primary's node API (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = {"-token", "--token"}, paramLabel = "TOKEN", defaultValue = "${env:LITEFS_TOKEN}",
      description = "The node API token (http.token), if the cluster uses one (default: $LITEFS_TOKEN).")
  String token;

  @Parameters(paramLabel = "PATH", description = "The SQLite database file to import.")
  Path path;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(path + " is not a file");
    }
    try (NodeClient client = new NodeClient(0, Optional.ofNullable(token).filter(t -> !t.isEmpty()), Duration.ofMinutes(1))) {
      client.importDatabase(url, name, path);
    }
    spec.commandLine().getOut().printf("imported %s into %s at %s%n", path, name, url);
    return 0;
  }
}
