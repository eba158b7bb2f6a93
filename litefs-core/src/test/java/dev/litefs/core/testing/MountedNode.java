package dev.litefs.core.testing;

import dev.litefs.core.fuse.StaleMounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code litefs mount} running as its own process (the engine never shares a JVM with SQLite clients of its
 * mount: design.md), started from this JVM's classpath with a generated {@code litefs.yml}. {@link #close()}
 * stops it with SIGTERM and, if anything is left mounted, aborts the mount through fusectl, so one failing test
 * cannot hang the suite.
 */
public final class MountedNode implements AutoCloseable {
  private final Path dir;
  private final Path mount;
  private final Path data;
  private final Path config;
  private final Path log;
  private Process process;

  private final int port;

  private MountedNode(Path dir, String extraYaml) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.mount = dir.resolve("mnt");
    this.data = dir.resolve("data");
    this.config = dir.resolve("litefs.yml");
    this.log = dir.resolve("litefs.log");
    Files.createDirectories(dir);
    String addr = "http:\n  addr: \"127.0.0.1:" + port + "\"\n";
    String extra = extraYaml.replace("{{url}}", url()).replace("{{port}}", String.valueOf(port));
    // A test that sets other http keys gets the address added to its own http section.
    String http = extra.contains("http:\n") ? "" : addr;
    extra = extra.replace("http:\n", addr);
    Files.writeString(config, "fuse:\n  dir: \"" + mount + "\"\ndata:\n  dir: \"" + data + "\"\n" + http + extra);
  }

  /** Starts a static primary named {@code node1} in {@code dir}. */
  public static MountedNode primary(Path dir) throws IOException {
    return start(dir, "lease:\n  type: static\n  candidate: true\n  hostname: \"node1\"\n  advertise-url: \"{{url}}\"\n");
  }

  /** Starts a static replica of a primary named {@code primary} that cannot be reached: read-only, never synced. */
  public static MountedNode replica(Path dir, String primary) throws IOException {
    return start(dir, "lease:\n  type: static\n  candidate: false\n  hostname: \"" + primary
        + "\"\n  advertise-url: \"http://127.0.0.1:1\"\nskip-sync: true\n");
  }

  /** Starts a static replica of {@code primary}. */
  public static MountedNode replicaOf(Path dir, MountedNode primary) throws IOException {
    return start(dir, "lease:\n  type: static\n  candidate: false\n  hostname: \"node1\"\n  advertise-url: \""
        + primary.url() + "\"\n");
  }

  /** The node API's URL. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts a node with the given lease (and other) settings. */
  public static MountedNode start(Path dir, String extraYaml) throws IOException {
    for (int attempt = 1; ; attempt++) {
      MountedNode n = new MountedNode(dir, extraYaml);
      try {
        n.startProcess();
        return n;
      } catch (AssertionError e) {
        // Another process can take the port between freePort() and the engine's bind: choose another.
        if (attempt == 3 || !n.log().contains("Failed to bind")) {
          throw e;
        }
        Files.delete(n.log);
      }
    }
  }

  private long mountedLines() {
    return log().lines().filter(l -> l.contains("FuseMount - mounted ")).count();
  }

  private void startProcess() throws IOException {
    long before = mountedLines();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "dev.litefs.core.cli.LiteFsCommand", "mount", "-config", config.toString()));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    // The log line, not a stat: after a SIGKILL the kernel still answers stats of cached entries of the
    // dead mount until a new one replaces it.
    Await.until("the mount at " + mount + " (log: " + log + ")", Duration.ofSeconds(30),
        () -> !process.isAlive() || (mountedLines() > before && isMounted()));
    if (!process.isAlive()) {
      throw new AssertionError("litefs mount exited with " + process.exitValue() + ":\n" + log());
    }
  }

  /** Restarts the node on the same data directory (after {@link #kill()} or {@link #stop()}). */
  public void restart() throws IOException {
    startProcess();
  }

  /** Whether the mount answers a directory listing (which no kernel cache can answer for a dead server). */
  public boolean isMounted() {
    try (var s = Files.list(mount)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(".lag"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The mount point. */
  public Path mount() {
    return mount;
  }

  /** A file in the mount. */
  public Path path(String name) {
    return mount.resolve(name);
  }

  /** The data directory. */
  public Path data() {
    return data;
  }

  public Path dir() {
    return dir;
  }

  /** The node's log so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Stops the node with SIGTERM and waits for it; returns its exit status. */
  public int stop() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)
          && !process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)) {
        // A thread stuck in a request to its own mount keeps even a SIGKILLed process alive until the
        // FUSE connection is aborted.
        StaleMounts.abort(mount);
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.exitValue();
  }

  /** Sends a signal (e.g. "STOP", "CONT") to the node's process. */
  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  /** Kills the node with SIGKILL, leaving its mount stale. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    try {
      if (process != null && process.isAlive()) {
        stop();
      }
    } finally {
      StaleMounts.abort(mount);
    }
  }
}
