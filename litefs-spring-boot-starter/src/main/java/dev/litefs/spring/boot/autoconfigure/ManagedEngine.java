package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.fuse.StaleMounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The engine's process in managed mode: started, relayed into the application's log, waited for until ready,
 * watched for an exit nobody asked for, and stopped with SIGTERM then SIGKILL.
 *
 * <p>Ready means what {@code litefs mount} means before it runs {@code exec} (its "node is ready" line): the node
 * is primary, or a replica that has synced with the primary once. It is read from the mount itself, not from the
 * log (whose format the application's logging backend decides): a directory listing of the mount holds
 * {@code .lag} (a listing, unlike a stat, cannot be answered from the kernel's cache of a dead mount), and
 * {@code .lag} reads below LiteFS's "never synced" value ({@code 0} on the primary).
 */
final class ManagedEngine {
  private static final Logger log = LoggerFactory.getLogger(ManagedEngine.class);
  private static final Logger engineLog = LoggerFactory.getLogger(EngineLogging.LOGGER);

  /** How often readiness is re-checked while waiting for the engine's exit, and how often progress is logged. */
  private static final long POLL_MILLIS = 50;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final int KEPT_LINES = 40;

  /** Told when the engine exits while nobody is stopping it. */
  interface ExitListener {
    void engineExited(long pid, int status);
  }

  private final List<String> command;
  private final MountFiles files;
  private final Duration startupTimeout;
  private final Duration stopTimeout;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private volatile @Nullable Process process;
  private volatile @Nullable Thread relay;
  private volatile boolean stopping;

  ManagedEngine(List<String> command, MountFiles files, Duration startupTimeout, Duration stopTimeout) {
    this.command = List.copyOf(command);
    this.files = files;
    this.startupTimeout = startupTimeout;
    this.stopTimeout = stopTimeout;
  }

  /**
   * Starts the engine and waits until it is ready.
   *
   * @throws LiteFsStartupException when it exits first or is not ready within the startup timeout (it is
   *     stopped then)
   */
  void start() throws InterruptedException {
    log.info("Starting the LiteFS engine for {}: {}", files.dir(), describe(command));
    log.debug("The LiteFS engine's full command line: {}", String.join(" ", command));
    Process p;
    try {
      // stdin stays an open pipe that nobody writes: its end-of-file tells the engine this JVM is gone.
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new LiteFsStartupException("Cannot start the LiteFS engine (" + command.get(0) + "): " + e.getMessage(),
          "Check litefs.managed.java, or leave it unset to use the JVM that runs the application.");
    }
    process = p;
    Thread t = new Thread(() -> relay(p), "litefs-engine-log");
    t.setDaemon(true);
    t.start();
    relay = t;
    try {
      awaitReady(p);
    } catch (InterruptedException | RuntimeException e) {
      // Startup is abandoned (interrupted, or failed): no engine may outlive it.
      stop();
      throw e;
    }
    log.info("The LiteFS engine (pid {}) is ready: {} is mounted and this node is {}", p.pid(), files.dir(),
        files.readPrimary().present() ? "a replica" : "the primary");
  }

  private void awaitReady(Process p) throws InterruptedException {
    long started = System.nanoTime();
    boolean limited = startupTimeout.compareTo(Duration.ZERO) > 0;
    long nextProgress = started + PROGRESS_EVERY.toNanos();
    while (true) {
      if (p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        awaitRelay();
        throw new LiteFsStartupException("The LiteFS engine exited with status " + p.exitValue()
            + " before it was ready. Its last lines:\n" + lastLines(),
            "Fix what the engine reports above. If it cannot mount: FUSE needs /dev/fuse, fuse3 and libfuse2 "
                + "(or use litefs.mode=dev); if the config is wrong: see docs/config.md.");
      }
      if (isReady()) {
        return;
      }
      long now = System.nanoTime();
      if (limited && now - started > startupTimeout.toNanos()) {
        throw new LiteFsStartupException("The LiteFS engine was not ready within " + startupTimeout
            + " (litefs.managed.startup-timeout): " + state() + ". Its last lines:\n" + lastLines(),
            "A replica waits for the primary: check that the primary runs and that this node reaches it (the "
                + "lease's advertise-url), or raise litefs.managed.startup-timeout for a large first sync.");
      }
      if (now > nextProgress) {
        log.info("Waiting for the LiteFS engine (pid {}): {}", p.pid(), state());
        nextProgress = now + PROGRESS_EVERY.toNanos();
      }
    }
  }

  private boolean isReady() {
    return MountFiles.isMount(files.dir()) && files.readLag().isPresent();
  }

  private String state() {
    if (!MountFiles.isMount(files.dir())) {
      return files.dir() + " is not mounted yet";
    }
    MountFiles.PrimaryFile primary = files.readPrimary();
    return "mounted, but neither primary nor synced with a primary yet (primary: "
        + (primary.present() ? primary.hostname().orElse("unknown") : "none known") + ")";
  }

  /**
   * Watches for an exit that {@link #stop()} did not ask for; from then on such an exit is reported to
   * {@code listener} on the {@code litefs-engine-watch} thread.
   */
  void watch(ExitListener listener) {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("the engine was not started");
    }
    Thread t = new Thread(() -> {
      int status;
      try {
        status = p.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      if (!stopping) {
        awaitRelay();
        listener.engineExited(p.pid(), status);
      }
    }, "litefs-engine-watch");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Stops the engine: SIGTERM (it releases the lease and unmounts), SIGKILL after the stop timeout, then clears
   * the mount if a killed engine left it behind. Safe to call more than once.
   */
  synchronized void stop() {
    stopping = true;
    Process p = process;
    if (p == null) {
      return;
    }
    try {
      if (p.isAlive()) {
        log.info("Stopping the LiteFS engine (pid {})", p.pid());
        // SIGTERM through the handle: Process.destroy() would also close the pipes, losing the engine's last
        // lines and telling it (by end-of-file on stdin) that this JVM is gone.
        p.toHandle().destroy();
        if (!p.waitFor(stopTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
          log.warn("The LiteFS engine (pid {}) did not exit within {} of SIGTERM (litefs.managed.stop-timeout); "
              + "killing it", p.pid(), stopTimeout);
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    awaitRelay();
    clearStaleMount();
  }

  /** Unmounts what an engine that did not exit cleanly left at the mount directory. */
  void clearStaleMount() {
    try {
      StaleMounts.clearStale(files.dir());
    } catch (IOException e) {
      log.warn("Could not clear the mount at {} after the engine exited: {}", files.dir(), e.getMessage());
    }
  }

  /** The command line for the log, with the application's (long) class path shortened. */
  static String describe(List<String> command) {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0 && cp + 1 < shown.size() && shown.get(cp + 1).length() > 120) {
      shown.set(cp + 1, "<the application's class path>");
    }
    return String.join(" ", shown);
  }

  /** The engine's process id, once started. */
  long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** The engine's last lines of output, for error messages. */
  String lastLines() {
    synchronized (lastLines) {
      return lastLines.isEmpty() ? "  (none)" : "  " + String.join("\n  ", new ArrayList<>(lastLines));
    }
  }

  private void relay(Process p) {
    Level level = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        level = EngineLogging.relay(engineLog, line, level);
        synchronized (lastLines) {
          if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
          }
          lastLines.addLast(line);
        }
      }
    } catch (IOException e) {
      log.debug("Reading the LiteFS engine's output ended: {}", e.toString());
    }
  }

  /** Lets the relay finish the output of an exited engine, so error messages hold its last lines. */
  private void awaitRelay() {
    Thread t = relay;
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
