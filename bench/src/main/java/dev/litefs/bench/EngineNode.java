package dev.litefs.bench;

import dev.litefs.core.fuse.StaleMounts;
import dev.litefs.core.ltx.Pos;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code litefs mount} process started from the core's CLI jar (the engine never shares a JVM with SQLite
 * clients of its mount), with a generated {@code litefs.yml}, its mount, data directory and log under one
 * directory, and its node API on a free loopback port. {@link #close()} stops it with SIGTERM and, if its mount
 * is still there (a killed or hung engine), aborts the FUSE connection and unmounts it.
 */
final class EngineNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Path cliJar;
  private final List<String> javaOptions;
  private final String name;
  private final Path mount;
  private final Path data;
  private final Path config;
  private final Path log;
  private final int port;
  private Process process;
  private long startedAt;

  private EngineNode(Path cliJar, List<String> javaOptions, Path dir, String name, int port) {
    this.cliJar = cliJar;
    this.javaOptions = List.copyOf(javaOptions);
    this.name = name;
    this.mount = dir.resolve("mnt");
    this.data = dir.resolve("data");
    this.config = dir.resolve("litefs.yml");
    this.log = dir.resolve("litefs.log");
    this.port = port;
  }

  /** How the bench starts engines: the CLI jar and the JVM options for each engine process. */
  record Launcher(Path cliJar, List<String> javaOptions) {
    /**
     * Writes {@code dir/litefs.yml} for a node named {@code name} with the given lease section and starts it.
     * In {@code leaseYaml}, {@code {{url}}} stands for the node's own API URL.
     */
    EngineNode start(Path dir, String name, String leaseYaml) throws IOException {
      return prepare(dir, name, leaseYaml).startProcess();
    }

    /** Writes the node's config without starting it. */
    EngineNode prepare(Path dir, String name, String leaseYaml) throws IOException {
      EngineNode n = new EngineNode(cliJar, javaOptions, dir, name, freePort());
      Files.createDirectories(dir);
      Files.writeString(n.config, "fuse:\n  dir: \"" + n.mount + "\"\ndata:\n  dir: \"" + n.data + "\"\nhttp:\n"
          + "  addr: \"127.0.0.1:" + n.port + "\"\n" + leaseYaml.replace("{{url}}", n.url()));
      return n;
    }
  }

  /** The lease section of a static primary named {@code name}. */
  static String staticPrimary(String name) {
    return "lease:\n  type: static\n  candidate: true\n  hostname: \"" + name + "\"\n  advertise-url: \"{{url}}\"\n";
  }

  /** The lease section of a static replica of {@code primary}. */
  static String staticReplicaOf(EngineNode primary) {
    return "lease:\n  type: static\n  candidate: false\n  hostname: \"" + primary.name + "\"\n  advertise-url: \""
        + primary.url() + "\"\n";
  }

  /** The lease section of an etcd candidate named {@code name}; the mount does not wait to sync. */
  static String etcdCandidate(String name, URI etcd, String key, int ttlSeconds) {
    return "lease:\n  type: etcd\n  hostname: \"" + name + "\"\n  advertise-url: \"{{url}}\"\n  candidate: true\n"
        + "  etcd:\n    endpoints: [\"" + etcd + "\"]\n    key: \"" + key + "\"\n    ttl: " + ttlSeconds + "s\n"
        + "skip-sync: true\n";
  }

  /** Starts the process (again, after {@link #kill()} or {@link #stop()}) and waits for its mount. */
  EngineNode startProcess() throws IOException {
    long mountedBefore = launch();
    try {
      awaitMounted(mountedBefore);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /**
   * Starts the process without waiting; returns the count of "mounted" lines in its log before it, for
   * {@link #awaitMounted(long)}.
   */
  long launch() throws IOException {
    if (process != null && !process.isAlive()) {
      // A killed engine's mount is still there. litefs mount would refuse it: its stale-mount check stats the
      // mount point, which the kernel answers from its attribute cache for a dead server (docs/performance.md,
      // "Replication"). Abort and unmount it here, as the core's tests do.
      StaleMounts.abort(mount);
    }
    long mountedBefore = countLogLines("FuseMount - mounted ");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-jar", cliJar.toString(), "mount", "-config", config.toString()));
    startedAt = System.nanoTime();
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return mountedBefore;
  }

  /** Waits until the process logs a new "mounted" line and its mount answers. */
  void awaitMounted(long mountedBefore) {
    Wait.until("the mount of " + name + " at " + mount + " (log: " + log + ")", Duration.ofSeconds(60), () -> {
      checkAlive();
      // The log line, not a stat: after a SIGKILL the kernel answers stats of a dead mount's cached entries.
      return countLogLines("FuseMount - mounted ") > mountedBefore && isMounted();
    });
  }

  /** {@link System#nanoTime()} when the process was last started. */
  long startedAt() {
    return startedAt;
  }

  String name() {
    return name;
  }

  /** The node API's URL. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  Path mount() {
    return mount;
  }

  Path path(String file) {
    return mount.resolve(file);
  }

  Path data() {
    return data;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Fails if the process has exited.
   *
   * @throws IllegalStateException with the end of its log
   */
  void checkAlive() {
    if (!isAlive()) {
      throw new IllegalStateException("litefs mount of " + name + " exited with " + process.exitValue()
          + "; its log:\n" + tail(40));
    }
  }

  /** Whether the mount answers a directory listing, which no kernel cache can answer for a dead server. */
  boolean isMounted() {
    try (var s = Files.list(mount)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(".lag"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The position of {@code db} read from its {@code -pos} file; empty while the database does not exist. */
  Optional<Pos> pos(String db) throws IOException {
    try {
      String text = Files.readString(path(db + "-pos"), StandardCharsets.US_ASCII).trim();
      return text.isEmpty() ? Optional.empty() : Optional.of(Pos.parse(text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code /info} says this node holds the lease. */
  boolean isPrimary() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/info"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().replace(" ", "").contains("\"isPrimary\":true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code POST /promote}: asks the primary to hand this node the lease; returns the status and body. */
  HttpResponse<String> promote() throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/promote")).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends SIGTERM and waits for the process (SIGKILL after 30 s); returns its exit status. */
  int stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Sends SIGTERM without waiting. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit. */
  void awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Sends SIGKILL without waiting: the mount stays behind, stale, until the next start or {@link #close()}. */
  void kill() {
    process.destroyForcibly();
  }

  /** The last {@code lines} lines of the log. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /**
   * How many times this node, as a replica, failed to apply a transaction because opening {@code -shm} through its
   * own mount gave ENOENT (the stream then restarts), per its log.
   */
  long shmOpenFailures() {
    return countLogLines("-shm through the mount: errno 2");
  }

  private long countLogLines(String text) {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /** Stops the process if it runs, then aborts and unmounts whatever is still mounted at the mount point. */
  @Override
  public void close() throws IOException {
    if (isAlive()) {
      stop();
    }
    StaleMounts.abort(mount);
  }

  @Override
  public String toString() {
    return name + " (" + url() + ", " + mount + ")";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
