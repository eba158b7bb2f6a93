package dev.litefs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real {@code litefs mount} in its own process (the engine never shares a JVM with SQLite clients of its
 * mount), a static primary on a fresh data directory. For the counting pass it runs with libfuse's debug log
 * ({@code -fuse.debug}: one line per request the kernel sends, by opcode) and under {@code strace -c}
 * limited to the sync calls (with a seccomp filter, so nothing else is slowed down).
 */
final class BenchMount implements AutoCloseable {
  private static final Pattern OPCODE = Pattern.compile("opcode: ([A-Z_]+)");
  private static final List<String> SYNC_CALLS = List.of("fsync", "fdatasync", "sync_file_range", "syncfs");
  private static final long START_TIMEOUT_MS = 60_000;
  /** Mounts not closed yet, closed by a shutdown hook if the benchmark is interrupted. */
  private static final java.util.Set<BenchMount> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (BenchMount m : OPEN) {
        try {
          m.close();
        } catch (IOException | RuntimeException e) {
          System.err.println("litefs-bench: cannot stop the mount at " + m.mount + ": " + e);
        }
      }
    }, "litefs-bench-unmount"));
  }

  private final Path mount;
  private final Path log;
  private final Path straceOut;
  private final Process process;

  private BenchMount(Path mount, Path log, Path straceOut, Process process) {
    this.mount = mount;
    this.log = log;
    this.straceOut = straceOut;
    this.process = process;
  }

  /**
   * Starts {@code litefs} (the command line before {@code mount}) on a new data directory in {@code dir} and
   * waits until the mount answers.
   *
   * @throws IOException if it exits or does not mount within a minute; the message holds its log
   */
  static BenchMount start(List<String> litefs, Path dir, boolean counting) throws IOException {
    Path mount = dir.resolve("mnt");
    Path log = dir.resolve("litefs.log");
    Path config = dir.resolve("litefs.yml");
    Files.createDirectories(mount);
    Files.writeString(config, "fuse:\n  dir: \"" + mount + "\"\ndata:\n  dir: \"" + dir.resolve("data")
        + "\"\nlease:\n  type: static\n  candidate: true\n");
    List<String> cmd = new ArrayList<>();
    Path straceOut = null;
    if (counting && hasStrace()) {
      straceOut = dir.resolve("strace.txt");
      cmd.addAll(List.of("strace", "-f", "--seccomp-bpf", "-qq", "-c", "-e", "trace=" + String.join(",", SYNC_CALLS),
          "-o", straceOut.toString()));
    }
    cmd.addAll(litefs);
    cmd.addAll(List.of("mount", "-config", config.toString()));
    if (counting) {
      cmd.add("-fuse.debug");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    BenchMount m = new BenchMount(mount, log, straceOut, p);
    OPEN.add(m);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (!m.isMounted()) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        m.close();
        throw new IOException("litefs mount did not come up at " + mount + ":\n" + Files.readString(log));
      }
      pause(20); // polling the kernel's mount table: the process offers no readiness signal
    }
    return m;
  }

  /** The mount point. */
  Path mount() {
    return mount;
  }

  /** Whether the kernel lists this mount as a LiteFS mount (so writes there reach the engine, not the disk). */
  boolean isMounted() throws IOException {
    String want = " " + mount + " fuse.litefs ";
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
      return lines.anyMatch(l -> l.contains(want));
    }
  }

  /** Requests the kernel sent, by opcode, from libfuse's debug log (counting mounts only; after close). */
  Map<String, Long> fuseRequests() throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      lines.forEach(l -> {
        Matcher m = OPCODE.matcher(l);
        if (m.find()) {
          counts.merge(m.group(1), 1L, Long::sum);
        }
      });
    }
    return counts;
  }

  /** Sync system calls the mount process made, from strace's summary (after close); empty without strace. */
  OptionalLong syncCalls() throws IOException {
    if (straceOut == null || !Files.exists(straceOut)) {
      return OptionalLong.empty();
    }
    long n = 0;
    for (String l : Files.readAllLines(straceOut)) {
      String[] f = l.trim().split("\\s+");
      if (f.length >= 5 && SYNC_CALLS.contains(f[f.length - 1])) {
        n += Long.parseLong(f[3]);
      }
    }
    return OptionalLong.of(n);
  }

  /**
   * Stops the mount with SIGTERM (to the JVM, not to strace around it) and waits; unmounts with fusermount
   * if the mount is still there.
   */
  @Override
  public void close() throws IOException {
    OPEN.remove(this);
    Optional<ProcessHandle> java = straceOut == null ? Optional.of(process.toHandle())
        : process.toHandle().children().findFirst();
    java.ifPresent(ProcessHandle::destroy);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        java.ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (isMounted()) {
      run("fusermount", "-u", mount.toString());
    }
    if (isMounted()) {
      run("fusermount", "-u", "-z", mount.toString());
    }
  }

  private static boolean hasStrace() {
    try {
      return new ProcessBuilder("strace", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(String... cmd) throws IOException {
    try {
      new ProcessBuilder(cmd).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the mount", e);
    }
  }
}
