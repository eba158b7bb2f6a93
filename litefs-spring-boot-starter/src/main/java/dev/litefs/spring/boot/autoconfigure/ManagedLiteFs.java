package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFsMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Managed mode: the starter runs the engine ({@code litefs mount}) as a child process and, once it is ready, is
 * exactly sidecar mode on that mount. The engine is started while this bean initialises, which every
 * {@code DataSource} waits for ({@link DataSourceDependsOnLiteFs}), and stopped when it is destroyed, after
 * them. An engine that exits on its own stops the application ({@link EngineExitHandler}).
 */
final class ManagedLiteFs extends SidecarLiteFs implements ApplicationContextAware {
  private static final Logger log = LoggerFactory.getLogger(ManagedLiteFs.class);

  private final ManagedEngine engine;
  private final Path workDir;
  private ManagedEngine.@Nullable ExitListener onEngineExit;

  ManagedLiteFs(String hostname, List<String> databases, LiteFsProperties.Sidecar config, MountFiles files,
      RolePublisher roles, ManagedEngine engine, Path workDir) {
    super(hostname, databases, config, files, roles);
    this.engine = engine;
    this.workDir = workDir;
  }

  /**
   * Builds managed mode: resolves the engine's config ({@link ManagedConfig}) and its command line
   * ({@link EngineCommand}). Nothing is started until the bean initialises.
   *
   * @throws LiteFsStartupException when the config is missing or invalid, or the mount directory is already
   *     served by another process
   */
  static ManagedLiteFs create(LiteFsProperties props, Environment env, String hostname, RolePublisher roles) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("litefs-managed-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a directory for the LiteFS engine's config", e);
    }
    try {
      ManagedConfig config = ManagedConfig.resolve(props, env, hostname, workDir);
      if (MountFiles.isMount(config.mountDir())) {
        throw new LiteFsStartupException("litefs.mode is managed, but " + config.mountDir() + " is already a "
            + "LiteFS mount run by another process.", "Use that mount with litefs.mode=sidecar (or auto), or stop "
                + "the process that serves it ('fusermount -u " + config.mountDir() + "' for a leftover mount).");
      }
      LiteFsManagedProperties managed = props.getManaged();
      List<String> args = new ArrayList<>(List.of("mount", "-config", config.file().toString()));
      if (config.generated()) {
        args.add("-no-expand-env");
      }
      if (managed.isDebug()) {
        args.add("-debug");
      }
      List<String> command = EngineCommand.build(EngineCommand.java(managed.getJava()),
          EngineCommand.jvmOptions(managed.getJvmOptions(), env.getProperty("LITEFS_JAVA_OPTS")),
          EngineLogging.options(workDir, managed.isDebug()), System.getProperty("java.class.path"), args);
      MountFiles files = new MountFiles(config.mountDir());
      ManagedEngine engine = new ManagedEngine(command, files, managed.getStartupTimeout(), managed.getStopTimeout());
      return new ManagedLiteFs(config.hostname(), props.getDatabases(), sidecar(props.getSidecar(), config), files,
          roles, engine, workDir);
    } catch (RuntimeException e) {
      deleteTree(workDir);
      throw e;
    }
  }

  /** Sidecar mode's settings, pointed at the engine's own node API. */
  private static LiteFsProperties.Sidecar sidecar(LiteFsProperties.Sidecar configured, ManagedConfig config) {
    LiteFsProperties.Sidecar s = new LiteFsProperties.Sidecar();
    s.setEventsUrl(config.eventsUrl());
    s.setToken(config.token());
    s.setInitialConnectTimeout(configured.getInitialConnectTimeout());
    s.setReconnectMinDelay(configured.getReconnectMinDelay());
    s.setReconnectMaxDelay(configured.getReconnectMaxDelay());
    s.setPositionRecheckInterval(configured.getPositionRecheckInterval());
    return s;
  }

  @Override
  public void setApplicationContext(ApplicationContext context) {
    if (onEngineExit == null && context instanceof ConfigurableApplicationContext configurable) {
      onEngineExit = new EngineExitHandler(configurable, dir());
    }
  }

  @Override
  public void afterPropertiesSet() throws InterruptedException {
    try {
      engine.start();
    } finally {
      // The engine has read its config (and the token in it) by now, or failed.
      deleteTree(workDir);
    }
    try {
      super.afterPropertiesSet();
    } catch (InterruptedException | RuntimeException e) {
      // A bean whose initialisation fails is never destroyed: stop the engine here.
      engine.stop();
      throw e;
    }
    ManagedEngine.ExitListener listener = onEngineExit;
    engine.watch(listener != null ? listener : (pid, status) ->
        log.error("The LiteFS engine (pid {}) exited with status {}; its mount {} is gone", pid, status, dir()));
  }

  @Override
  public void destroy() {
    super.destroy();
    engine.stop();
  }

  @Override
  public LiteFsMode mode() {
    return LiteFsMode.MANAGED;
  }

  /** The engine's process id. */
  long enginePid() {
    return engine.pid();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      log.debug("Could not delete {}: {}", dir, e.toString());
    }
  }
}
