package dev.litefs.core.cli;

import dev.litefs.core.http.NodeClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code litefs export -name NAME [-url URL] PATH}: writes a consistent copy of a database to a file. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a consistent copy of a database from any node to PATH. PATH and its -journal, -wal "
        + "and -shm files are replaced; the copy is written to PATH.tmp, synced and renamed.")
final class ExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-name", "--name"}, required = true, paramLabel = "NAME", description = "The database's name in the mount.")
  String name;

  @Option(names = {"-url", "--url"}, paramLabel = "URL", defaultValue = "http://localhost:20202",
      description = "A node's API (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = {"-token", "--token"}, paramLabel = "TOKEN", defaultValue = "${env:LITEFS_TOKEN}",
      description = "The node API token (http.token), if the cluster uses one (default: $LITEFS_TOKEN).")
  String token;

  @Parameters(paramLabel = "PATH", description = "Where to write the database file.")
  Path path;

  @Override
  public Integer call() throws Exception {
    Path abs = path.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    try (NodeClient client = new NodeClient(0, Optional.ofNullable(token).filter(t -> !t.isEmpty()), Duration.ofMinutes(1));
        InputStream in = client.exportDatabase(url, name);
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = Channels.newOutputStream(ch);
      in.transferTo(out);
      ch.force(true);
    }
    for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
      Files.deleteIfExists(abs.resolveSibling(abs.getFileName() + suffix));
    }
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(abs.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    spec.commandLine().getOut().printf("exported %s from %s to %s%n", name, url, abs);
    return 0;
  }
}
