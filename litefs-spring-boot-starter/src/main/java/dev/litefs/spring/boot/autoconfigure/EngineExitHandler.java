package dev.litefs.spring.boot.autoconfigure;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What managed mode does when the engine exits while the application runs: its databases went with the mount,
 * so the application cannot serve. It closes the context (in order: web server, workers, DataSource) and exits
 * the JVM with status {@value #EXIT_STATUS}, so that the platform (Fly.io, Kubernetes, Docker's restart policy)
 * restarts the whole container. {@code System.exit} is needed because the application may hold non-daemon
 * threads of its own that would keep a JVM without a context alive. When the JVM is already shutting down (a
 * Ctrl-C reaches both processes), the engine's exit is expected and nothing is done.
 */
final class EngineExitHandler implements ManagedEngine.ExitListener {
  private static final Logger log = LoggerFactory.getLogger(EngineExitHandler.class);

  /** The application's exit status after the engine died. */
  static final int EXIT_STATUS = 1;

  private final ConfigurableApplicationContext context;
  private final Path mountDir;

  EngineExitHandler(ConfigurableApplicationContext context, Path mountDir) {
    this.context = context;
    this.mountDir = mountDir;
  }

  @Override
  public void engineExited(long pid, int status) {
    if (jvmShuttingDown()) {
      log.info("The LiteFS engine (pid {}) exited with status {} while the application shuts down", pid, status);
      return;
    }
    log.error("The LiteFS engine (pid {}) exited unexpectedly with status {}; the databases in {} are gone with "
        + "its mount, so the application stops (exit status {}). Its last lines are logged above on '{}'.", pid,
        status, mountDir, EXIT_STATUS, EngineLogging.LOGGER);
    // Not a daemon: the JVM must not end before the context is closed and the exit status set. A new thread
    // inherits its creator's daemon flag, and the engine's watcher is a daemon: without setDaemon(false),
    // closing the context stopped the last non-daemon threads and the JVM exited with 0 first.
    Thread exit = new Thread(() -> System.exit(SpringApplication.exit(context, () -> EXIT_STATUS)),
        "litefs-engine-exited");
    exit.setDaemon(false);
    exit.start();
  }

  private static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
