package dev.litefs.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/litefs-demo}, the README's main command, run as a user runs it: the script starts every process
 * (etcd, one {@code litefs mount} per node with the sample app under it, the stub source, the dev edge) and the
 * tests talk to them over HTTP. How a node is launched lives in the script alone ({@code start_node}), so the
 * tests follow it when it changes (to the starter's managed mode, for one).
 *
 * <p>Each demo gets free loopback ports and its own work directory under {@code target/e2e/NAME}, so the tests
 * run beside a demo someone has started on the default ports. {@link #close()} stops the script like Ctrl-C if it
 * still runs, then kills whatever it left and aborts stale mounts, so one failure cannot leave the machine dirty.
 */
final class Demo implements AutoCloseable {
  /** The repository (the failsafe configuration passes it). */
  static final Path ROOT = Path.of(System.getProperty("litefs.root", "..")).toAbsolutePath().normalize();
  private static final Path BASE = Path.of(System.getProperty("litefs.e2e.dir", "target/e2e")).toAbsolutePath();
  private static final String READY = "Press Ctrl-C to stop everything.";

  /** The ports of one demo: node N's app on {@code appBase + N}, its node API on {@code apiBase + N}. */
  record Ports(int edge, int appBase, int apiBase, int stub, int etcd, int etcdPeer) {}

  private final Path work;
  private final Path output;
  private final Ports ports;
  private final Map<String, String> env;
  private final Process script;

  private Demo(Path work, Path output, Ports ports, Map<String, String> env, Process script) {
    this.work = work;
    this.output = output;
    this.ports = ports;
    this.env = env;
    this.script = script;
  }

  /**
   * Runs {@code bin/litefs-demo ARGS} with {@code env} added to its environment, and returns once it prints that
   * everything is up.
   */
  static Demo start(String name, Map<String, String> env, String... args) throws IOException {
    Path dir = BASE.resolve(name);
    Path work = dir.resolve("work");
    Path output = dir.resolve("demo.out");
    Files.createDirectories(dir);
    Files.deleteIfExists(output);
    Ports ports = freePorts();
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/litefs-demo").toString()));
    command.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>();
    environment.put("LITEFS_DEMO_DIR", work.toString());
    environment.put("LITEFS_DEMO_EDGE_PORT", String.valueOf(ports.edge()));
    environment.put("LITEFS_DEMO_APP_PORT_BASE", String.valueOf(ports.appBase()));
    environment.put("LITEFS_DEMO_API_PORT_BASE", String.valueOf(ports.apiBase()));
    environment.put("LITEFS_DEMO_STUB_PORT", String.valueOf(ports.stub()));
    environment.put("LITEFS_DEMO_ETCD_PORT", String.valueOf(ports.etcd()));
    environment.put("LITEFS_DEMO_ETCD_PEER_PORT", String.valueOf(ports.etcdPeer()));
    // The build ran before the tests; a stale jar here is a bug, not something to rebuild inside the build.
    environment.put("LITEFS_DEMO_NO_BUILD", "1");
    environment.putAll(env);
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    Demo demo = new Demo(work, output, ports, Map.copyOf(environment), builder.start());
    try {
      Await.until("bin/litefs-demo to report everything up", Duration.ofMinutes(5), () -> {
        if (!demo.script.isAlive()) {
          throw new Await.GiveUp("bin/litefs-demo exited with status " + demo.script.exitValue());
        }
        return demo.output().contains(READY);
      });
    } catch (AssertionError e) {
      demo.close();
      throw new AssertionError(e.getMessage() + "\n--- bin/litefs-demo printed:\n" + demo.output(), e);
    }
    return demo;
  }

  /**
   * Runs {@code bin/litefs-demo ARGS} (a subcommand such as {@code start node1}) against this demo, as a user would
   * from a second terminal; returns its output, failing if it does not exit 0 within 5 minutes.
   */
  String command(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/litefs-demo").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("bin/litefs-demo " + String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  /** The edge's URL for {@code path}: what a user's client talks to. */
  URI edge(String path) {
    return URI.create("http://127.0.0.1:" + ports.edge() + path);
  }

  /** Node N's app, directly (bypassing the edge). */
  URI node(int n, String path) {
    return URI.create("http://127.0.0.1:" + (ports.appBase() + n) + path);
  }

  /** The stub source. */
  URI stub(String path) {
    return URI.create("http://127.0.0.1:" + ports.stub() + path);
  }

  /** Node N's mount directory (sidecar mode). */
  Path mount(int n) {
    return work.resolve("node" + n).resolve("mnt");
  }

  /** Everything the script has printed so far. */
  String output() {
    return read(output);
  }

  /** Node N's log: its engine's and its app's output. */
  String nodeLog(int n) {
    return read(work.resolve("node" + n).resolve("node.log"));
  }

  /** The PID the script recorded in {@code WORK/NAME.pid} ({@code node1/engine}, {@code node1/app}, {@code edge}). */
  long pid(String name) {
    String text = read(work.resolve(name + ".pid")).trim();
    if (text.isEmpty()) {
      throw new AssertionError("bin/litefs-demo recorded no " + name + ".pid in " + work);
    }
    return Long.parseLong(text);
  }

  /**
   * Crashes node N as a machine would crash: SIGKILL to its engine first (so it cannot release the lease), then to
   * its app; returns once neither answers on its port any more.
   */
  void crash(int n) {
    for (String name : List.of("node" + n + "/engine", "node" + n + "/app")) {
      ProcessHandle.of(pid(name)).orElseThrow(() -> new AssertionError(name + " is not running")).destroyForcibly();
    }
    Await.until("node" + n + "'s app and node API to refuse connections", Duration.ofSeconds(10),
        () -> refuses(ports.appBase() + n) && refuses(ports.apiBase() + n));
  }

  private static boolean refuses(int port) {
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Stops the script as Ctrl-C in its terminal would (SIGINT; SIGTERM where this JVM was started with SIGINT
   * ignored, since a shell cannot trap a signal ignored on entry) and returns its exit status.
   */
  int interrupt() throws IOException, InterruptedException {
    String signal = sigintIgnored(script.pid()) ? "-TERM" : "-INT";
    new ProcessBuilder("kill", signal, String.valueOf(script.pid())).inheritIO().start().waitFor();
    if (!script.waitFor(2, TimeUnit.MINUTES)) {
      throw new AssertionError("bin/litefs-demo did not stop within 2 minutes of " + signal + ":\n" + output());
    }
    return script.exitValue();
  }

  /** The signal {@link #interrupt()} sends: {@code INT}, or {@code TERM} where SIGINT is ignored. */
  String interruptSignal() {
    return sigintIgnored(script.pid()) ? "TERM" : "INT";
  }

  /** Processes the script recorded that still run, and mounts left below the work directory. */
  List<String> leftovers() throws IOException {
    List<String> left = new ArrayList<>();
    recordedPids().forEach((pid, file) -> left.add("process " + pid + " (" + file + ")"));
    for (String mount : mountsUnderWork()) {
      left.add("mount " + mount);
    }
    return left;
  }

  /** Stops the script if it runs, then kills what it left and aborts stale mounts. */
  @Override
  public void close() {
    try {
      if (script.isAlive()) {
        interrupt();
      }
    } catch (IOException | InterruptedException | AssertionError e) {
      System.err.println("e2e: stopping bin/litefs-demo failed: " + e.getMessage());
      script.destroyForcibly();
    }
    try {
      for (Map.Entry<Long, String> p : recordedPids().entrySet()) {
        System.err.println("e2e: killing " + p.getValue() + " (pid " + p.getKey() + ") left by bin/litefs-demo");
        ProcessHandle.of(p.getKey()).ifPresent(h -> {
          h.descendants().forEach(ProcessHandle::destroyForcibly);
          h.destroyForcibly();
        });
      }
      for (String mount : mountsUnderWork()) {
        System.err.println("e2e: aborting the mount " + mount + " left by bin/litefs-demo");
        abortMount(mount);
      }
    } catch (IOException e) {
      System.err.println("e2e: cleaning up after bin/litefs-demo failed: " + e);
    }
    System.err.println("e2e: bin/litefs-demo's output: " + output + "; logs: " + work);
  }

  /** PIDs from the script's pid files whose process still runs and names the work directory, with their file. */
  private Map<Long, String> recordedPids() throws IOException {
    Map<Long, String> pids = new HashMap<>();
    if (!Files.isDirectory(work)) {
      return pids;
    }
    try (Stream<Path> files = Files.walk(work, 2)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
        String text = read(f).trim();
        if (text.matches("\\d+") && isOurs(Long.parseLong(text))) {
          pids.put(Long.parseLong(text), work.relativize(f).toString());
        }
      }
    }
    return pids;
  }

  private boolean isOurs(long pid) {
    Path cmdline = Path.of("/proc", String.valueOf(pid), "cmdline");
    String text = read(cmdline).replace('\0', ' ') + " ";
    return text.contains(work + "/") || text.contains("-Dlitefs.demo=" + work + " ");
  }

  private List<String> mountsUnderWork() throws IOException {
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String mountPoint = line.split(" ")[4].replace("\\040", " ");
      if (mountPoint.startsWith(work + "/")) {
        mounts.add(mountPoint);
      }
    }
    return mounts;
  }

  private static void abortMount(String mountPoint) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f[4].replace("\\040", " ").equals(mountPoint)) {
        Path abort = Path.of("/sys/fs/fuse/connections", f[2].split(":")[1], "abort");
        if (Files.exists(abort)) {
          Files.writeString(abort, "1");
        }
      }
    }
    run("fusermount", "-u", "-z", mountPoint);
  }

  private static boolean sigintIgnored(long pid) {
    // SigIgn is a hex mask; SIGINT is signal 2, so bit 1.
    Optional<String> ignored = read(Path.of("/proc", String.valueOf(pid), "status")).lines()
        .filter(l -> l.startsWith("SigIgn:")).map(l -> l.substring("SigIgn:".length()).trim()).findFirst();
    return ignored.map(mask -> (Long.parseUnsignedLong(mask, 16) & 0b10) != 0).orElse(false);
  }

  /** Runs a command and returns its output; fails if it exits non-zero. */
  static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", command), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Free loopback ports: three in a row for the apps and three for the node APIs, one each for the rest. */
  private static Ports freePorts() throws IOException {
    return new Ports(freePort(), freeRun(), freeRun(), freePort(), freePort(), freePort());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A base B such that B + 1, B + 2 and B + 3 are free. */
  private static int freeRun() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (free(base + 1) && free(base + 2) && free(base + 3)) {
        return base;
      }
    }
    throw new AssertionError("no three free ports in a row between 20001 and 30003");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
