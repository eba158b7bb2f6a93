package dev.litefs.spring.testing;

import dev.litefs.core.fuse.StaleMounts;
import dev.litefs.core.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Spring Boot application in its own JVM, started from this JVM's class path with properties on its command
 * line, as a container would run it. In managed mode it starts its own engine process; {@link #close()} stops
 * the application (SIGTERM), then anything it left: its engine, by PID, and a stuck mount (aborted through
 * fusectl), so one failing test cannot leave a mount or a process behind.
 */
public final class AppProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  public static final Duration STARTUP = Duration.ofSeconds(120);

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final Path mountDir;
  private ProcessHandle engine;

  private AppProcess(String name, Process process, int port, Path log, Path mountDir) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.mountDir = mountDir;
  }

  /**
   * Starts {@code mainClass} with {@code properties} (as {@code --key=value} arguments, plus a free
   * {@code server.port}) and returns once it accepts HTTP connections, which a Spring Boot application does only
   * after its context has started. The log goes to {@code dir/<name>.log}.
   */
  public static AppProcess start(String name, Path dir, Class<?> mainClass, Map<String, String> properties)
      throws IOException {
    return started(launch(name, dir, List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()),
        properties));
  }

  /** Starts an executable jar ({@code java -jar}) as {@link #start} starts a main class. */
  public static AppProcess startJar(String name, Path dir, Path jar, Map<String, String> properties)
      throws IOException {
    return started(launch(name, dir, List.of("-jar", jar.toString()), properties));
  }

  /** Launches the application without waiting for it: for applications expected to fail at startup. */
  public static AppProcess launch(String name, Path dir, Class<?> mainClass, Map<String, String> properties)
      throws IOException {
    return launch(name, dir, List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()), properties);
  }

  private static AppProcess launch(String name, Path dir, List<String> what, Map<String, String> properties)
      throws IOException {
    Files.createDirectories(dir);
    int port = FreePorts.next();
    Path log = dir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(what);
    cmd.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    properties.forEach((k, v) -> cmd.add("--" + k + "=" + v));
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new AppProcess(name, process, port, log, Path.of(properties.getOrDefault("litefs.mount-dir", "/litefs")));
  }

  private static AppProcess started(AppProcess app) {
    try {
      app.awaitStarted();
    } catch (RuntimeException | AssertionError e) {
      app.close();
      throw e;
    }
    return app;
  }

  private void awaitStarted() {
    Await.until(name + " to accept connections on port " + port + " (log: " + log + ")", STARTUP, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with status " + process.exitValue() + ":\n" + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
    engine = process.toHandle().children().findFirst().orElse(null);
  }

  public String name() {
    return name;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** The engine process the application started (its only child), if it has one. */
  public Optional<ProcessHandle> engine() {
    return Optional.ofNullable(engine);
  }

  public Path mountDir() {
    return mountDir;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  public HttpResponse<String> post(String path, String body, String... headers) {
    return send("POST", path, body, headers);
  }

  /** An HTTP request to this application. */
  public HttpResponse<String> send(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET path} of a {@code key=value} per line answer, as a map. */
  public Map<String, String> keyValues(String path) {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(name + ": GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : r.body().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return out;
  }

  /** Kills the application with SIGKILL: none of its shutdown code runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for the application to exit on its own; returns its status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError(name + " did not exit within " + timeout + "; log:\n" + log());
    }
    return process.exitValue();
  }

  /** Stops the application with SIGTERM, as a platform does, and waits for it; returns its status. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** The application's log so far (its engine's lines included, relayed with a [litefs] prefix). */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Whether the mount is served: a directory listing (no kernel cache answers one for a dead server). */
  public boolean isMounted() {
    try (var s = Files.list(mountDir)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(".lag"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the kernel still has a mount at the mount directory, served or not. */
  public boolean hasMountEntry() throws IOException {
    String target = " " + mountDir.toAbsolutePath().normalize() + " ";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        stop();
      }
      if (engine != null && engine.isAlive()) {
        engine.destroy();
        engine.onExit().get(15, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      if (engine != null) {
        engine.destroyForcibly();
      }
    }
    try {
      StaleMounts.abort(mountDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
