package dev.litefs.core.cli;

import dev.litefs.core.config.LeaseType;
import dev.litefs.core.config.LiteFsConfig;
import dev.litefs.core.fuse.EngineThreads;
import dev.litefs.core.fuse.FuseMount;
import dev.litefs.core.fuse.NodeView;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What {@code litefs mount} does once its configuration is valid: opens (and recovers) the store, mounts it,
 * runs the {@code exec} list, forwards SIGINT and SIGTERM to the background command, and on its exit or a
 * signal unmounts and exits with the command's status.
 */
final class MountProcess {
  private static final Logger log = LoggerFactory.getLogger(MountProcess.class);
  /** Exit status when startup fails, as LiteFS's. */
  static final int EXIT_FAILED = 1;

  private final LiteFsConfig config;
  private final boolean skipUnmount;
  private final CompletableFuture<Integer> signalled = new CompletableFuture<>();

  MountProcess(LiteFsConfig config, boolean skipUnmount) {
    this.config = config;
    this.skipUnmount = skipUnmount;
  }

  int run() {
    if (config.lease().type() != LeaseType.STATIC) {
      log.error("lease.type {} is not available in this build yet; use lease.type static", config.lease().type().configName());
      return EXIT_FAILED;
    }
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> signalled.complete(s.getNumber()));
    }
    StoreOptions options = new StoreOptions(Path.of(config.data().dir()), config.data().compress(),
        config.data().retention(), config.data().retentionMonitorInterval(), new SecureRandom().nextLong(),
        Clock.systemUTC());
    boolean candidate = config.lease().candidate();
    NodeView node = candidate ? NodeView.alwaysPrimary() : new DisconnectedReplica();
    try (Store store = Store.open(options)) {
      Path dir = Path.of(config.fuse().dir());
      if (skipUnmount) {
        log.info("-skip-unmount: a mount left at {} is not cleared", dir);
      }
      try (FuseMount mount = FuseMount.mount(dir, store, node, new EngineThreads(), config.fuse().allowOther(),
          config.fuse().debug())) {
        Thread hook = new Thread(() -> closeQuietly(mount), "litefs-unmount");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = superviseExec(candidate);
        Runtime.getRuntime().removeShutdownHook(hook);
        return code;
      }
    } catch (IOException e) {
      log.error("{}", e.getMessage());
      return EXIT_FAILED;
    }
  }

  private int superviseExec(boolean candidate) {
    ExecSupervisor exec = new ExecSupervisor();
    Optional<Process> child;
    try {
      child = exec.start(config.exec(), candidate);
    } catch (ExecSupervisor.ExecFailedException e) {
      log.error("{}", e.getMessage());
      if (config.exitOnError()) {
        return EXIT_FAILED;
      }
      log.warn("exit-on-error is false: staying up without the exec commands; stop with SIGTERM");
      child = Optional.empty();
    }
    CompletableFuture<Integer> exited = child.map(p -> p.onExit().thenApply(Process::exitValue))
        .orElseGet(CompletableFuture::new);
    try {
      CompletableFuture.anyOf(exited, signalled).get();
      if (signalled.isDone() && child.isPresent()) {
        exec.forward(signalled.get());
        return exited.get();
      }
      if (exited.isDone()) {
        int code = exited.get();
        log.info("exec command exited with status {}; unmounting", code);
        return code;
      }
      log.info("received signal {}; unmounting", signalled.get());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILED;
    } catch (ExecutionException e) {
      log.error("waiting for the exec command failed: {}", e.getCause().toString());
      return EXIT_FAILED;
    }
  }

  private static void closeQuietly(FuseMount mount) {
    try {
      mount.close();
    } catch (IOException e) {
      System.err.println("litefs: unmounting " + mount.dir() + " failed: " + e.getMessage());
    }
  }

  /** A static replica with nothing to follow yet: read-only, no primary connected, maximal lag. */
  private static final class DisconnectedReplica implements NodeView {
    @Override
    public boolean isPrimary() {
      return false;
    }

    @Override
    public Optional<String> primaryHostname() {
      return Optional.empty();
    }

    @Override
    public long lagMillis() {
      return Integer.MAX_VALUE;
    }

    @Override
    public long primaryTimestamp() {
      return 0;
    }
  }
}
