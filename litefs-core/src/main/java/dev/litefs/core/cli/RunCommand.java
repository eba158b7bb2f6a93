package dev.litefs.core.cli;

import dev.litefs.core.http.NodeClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code litefs run [-promote | -with-halt-lock-on DB] [-if-candidate] -- CMD...}: runs a command against the
 * local node, as LiteFS's {@code litefs run}. With {@code -with-halt-lock-on}, the local node takes the
 * primary's HALT lock on the database for the command's lifetime, so the command can write on a replica
 * (a migration, say); each of its transactions is forwarded to the primary. Unlike LiteFS, the lock is taken
 * through the node API, not an fcntl lock on {@code <db>-lock}: SQLite's locks stay in the kernel here, so
 * LiteFS's {@code litefs run} and litefs-go's halt helper cannot halt this engine.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a command against the local node: after promoting it, only if it is a candidate, or "
        + "holding the primary's HALT lock on a database so the command can write on a replica.")
final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-url", "--url"}, paramLabel = "URL", defaultValue = "http://localhost:20202",
      description = "The local node's API (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = {"-promote", "--promote"}, description = "Make the local node the primary first.")
  boolean promote;

  @Option(names = {"-if-candidate", "--if-candidate"}, description = "Run only if the local node is a candidate.")
  boolean ifCandidate;

  @Option(names = {"-with-halt-lock-on", "--with-halt-lock-on"}, paramLabel = "DB",
      description = "Hold the primary's HALT lock on this database (a path in the mount) while the command runs.")
  Path haltOn;

  @Option(names = {"-token", "--token"}, paramLabel = "TOKEN", defaultValue = "${env:LITEFS_TOKEN}",
      description = "The node API token (http.token), if the cluster uses one (default: $LITEFS_TOKEN).")
  String token;

  @Parameters(paramLabel = "CMD", arity = "1..*", description = "The command and its arguments, after --.")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    if (promote && haltOn != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "-promote and -with-halt-lock-on cannot be used together");
    }
    if (ifCandidate && !get("/info").contains("\"candidate\": true")) {
      spec.commandLine().getOut().println("not a candidate: not running " + command.get(0));
      return 0;
    }
    if (promote) {
      post("/promote");
    }
    if (haltOn == null) {
      return run();
    }
    String db = haltOn.getFileName().toString();
    long id = new SecureRandom().nextLong() & Long.MAX_VALUE;
    try (NodeClient client = new NodeClient(0, token(), Duration.ofMinutes(1))) {
      client.halt(url, db, id);
      try {
        return run();
      } finally {
        client.unhalt(url, db, id);
      }
    }
  }

  private int run() throws IOException, InterruptedException {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private Optional<String> token() {
    return Optional.ofNullable(token).filter(t -> !t.isEmpty());
  }

  private String get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
  }

  private void post(String path) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private String send(HttpRequest.Builder b) throws IOException, InterruptedException {
    token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(r.uri() + " answered " + r.statusCode() + ": " + r.body().trim());
    }
    return r.body();
  }
}
