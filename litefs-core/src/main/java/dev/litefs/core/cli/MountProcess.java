package dev.litefs.core.cli;

import dev.litefs.core.config.LiteFsConfig;
import dev.litefs.core.fuse.EngineThreads;
import dev.litefs.core.fuse.FuseMount;
import dev.litefs.core.fuse.MountWriter;
import dev.litefs.core.fuse.PrimaryFile;
import dev.litefs.core.http.NodeClient;
import dev.litefs.core.http.NodeServer;
import dev.litefs.core.lease.LeaseException;
import dev.litefs.core.lease.Leaser;
import dev.litefs.core.lease.Leasers;
import dev.litefs.core.node.Node;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What {@code litefs mount} does once its configuration is valid, in LiteFS's order: open (and recover) the
 * store, start the node API, mount, join the cluster through the lease, wait until primary or synced (unless
 * {@code skip-sync}), promote if asked, run the {@code exec} list, forward SIGINT and SIGTERM to the
 * background command; on its exit or a signal, leave the cluster (releasing the lease so a candidate takes
 * over at once), stop the API, unmount, and exit with the command's status.
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
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> signalled.complete(s.getNumber()));
    }
    long nodeId = new SecureRandom().nextLong();
    StoreOptions options = new StoreOptions(Path.of(config.data().dir()), config.data().compress(),
        config.data().retention(), config.data().retentionMonitorInterval(), nodeId, Clock.systemUTC());
    Path dir = Path.of(config.fuse().dir());
    EngineThreads engine = new EngineThreads();
    try (Store store = Store.open(options);
        Leaser leaser = Leasers.open(NodeConfig.leaser(config), Clock.systemUTC());
        NodeClient client = new NodeClient(nodeId, NodeConfig.token(config.http()),
            dev.litefs.core.node.NodeSettings.DEFAULT_SILENT_PRIMARY_TIMEOUT)) {
      Node node = new Node(store, leaser, NodeConfig.node(config, nodeId), client, new PrimaryFile(dir, engine),
          Clock.systemUTC());
      try (NodeServer server = NodeServer.start(config.http().addr(), node, NodeConfig.token(config.http()))) {
        if (skipUnmount) {
          log.info("-skip-unmount: a mount left at {} is not cleared", dir);
        }
        try (FuseMount mount = FuseMount.mount(dir, store, node, engine, config.fuse().allowOther(),
            config.fuse().debug())) {
          store.setFileWriter(new MountWriter(dir, engine));
          Thread hook = new Thread(() -> closeQuietly(mount), "litefs-unmount");
          Runtime.getRuntime().addShutdownHook(hook);
          try {
            node.start();
            return joinAndRun(node);
          } finally {
            node.close();
            store.setFileWriter(null);
            Runtime.getRuntime().removeShutdownHook(hook);
          }
        }
      }
    } catch (LeaseException | IOException | IllegalArgumentException e) {
      log.error("{}", e.getMessage());
      return EXIT_FAILED;
    } catch (Exception e) {
      log.error("{}", e.toString(), e);
      return EXIT_FAILED;
    }
  }

  /** Waits for the node to be ready (or a signal), promotes if asked, then supervises the exec commands. */
  private int joinAndRun(Node node) throws InterruptedException {
    if (!config.skipSync()) {
      log.info("waiting to become primary or to sync with the primary");
      while (!node.awaitReady(Duration.ofMillis(200))) {
        if (signalled.isDone()) {
          log.info("received signal {} before the node was ready", signalled.getNow(0));
          return 0;
        }
      }
      log.info("node is ready ({})", node.isPrimary() ? "primary" : "replica of " + node.currentPrimaryHostname());
    }
    if (config.lease().promote() && node.isCandidate() && !node.isPrimary()) {
      try {
        log.info(node.promote() ? "promoted to primary" : "promotion did not complete within 10s");
      } catch (IOException | IllegalStateException e) {
        log.warn("promotion failed: {}", e.getMessage());
      }
    }
    return superviseExec(node.isCandidate());
  }

  private int superviseExec(boolean candidate) throws InterruptedException {
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
        log.info("exec command exited with status {}; shutting down", code);
        return code;
      }
      log.info("received signal {}; shutting down", signalled.get());
      return 0;
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
}
