package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.config.ConfigException;
import dev.litefs.core.config.ConfigLoader;
import dev.litefs.core.config.ConfigProblem;
import dev.litefs.core.config.LeaseType;
import dev.litefs.core.config.LiteFsConfig;
import dev.litefs.core.config.SystemEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The {@code litefs.yml} that managed mode runs, and what the starter learns from it: the mount directory, where
 * the node API's {@code /events} is, its token, and this node's name. It is the user's file
 * ({@code litefs.managed.config}, or the engine's search path), or one written from {@code litefs.managed.*}
 * when {@code litefs.managed.lease.type} is set. Either way it is loaded by the core's own loader first, so a
 * bad value fails the application's startup with the loader's message instead of an engine that exits.
 *
 * @param file the file the engine is given ({@code -config})
 * @param generated whether the starter wrote it (then the engine reads it with {@code -no-expand-env})
 * @param config the file as the engine will read it
 * @param mountDir fuse.dir
 * @param eventsUrl the node API's {@code /events}, on loopback when http.addr listens on every interface
 * @param token http.token, or null
 * @param hostname this node's name for the starter
 */
record ManagedConfig(Path file, boolean generated, LiteFsConfig config, Path mountDir, URI eventsUrl,
    @Nullable String token, String hostname) {

  /**
   * Resolves the config for managed mode, writing a generated one into {@code workDir}.
   *
   * @param hostname the starter's own resolution of this node's name ({@code litefs.hostname}, ...)
   * @throws LiteFsStartupException when no config is found, or it is invalid, or it disagrees with the starter
   */
  static ManagedConfig resolve(LiteFsProperties props, Environment env, String hostname, Path workDir) {
    return resolve(props, env, hostname, workDir, new SystemEnvironment(), ConfigLoader.defaultSearchPaths());
  }

  static ManagedConfig resolve(LiteFsProperties props, Environment env, String hostname, Path workDir,
      Function<String, String> processEnv, List<Path> searchPaths) {
    LiteFsManagedProperties managed = props.getManaged();
    boolean mountDirSet = env.containsProperty("litefs.mount-dir");
    if (managed.getConfig() != null) {
      return fromUserFile(managed.getConfig(), "litefs.managed.config", props, mountDirSet, hostname, processEnv);
    }
    if (managed.getLease().getType() != null) {
      return generate(props, hostname, workDir);
    }
    Path found = searchPaths.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
        new LiteFsStartupException("litefs.mode is managed, but there is no litefs.yml for the engine: "
            + "litefs.managed.config and litefs.managed.lease.type are not set, and none of "
            + searchPaths.stream().map(Path::toString).collect(Collectors.joining(", ")) + " exists.",
            "Set litefs.managed.lease.type (static, consul or etcd) and its litefs.managed.lease.* settings to let "
                + "the starter write the file, or point litefs.managed.config at your litefs.yml."));
    return fromUserFile(found, "found by the engine's search path", props, mountDirSet, hostname, processEnv);
  }

  private static ManagedConfig fromUserFile(Path file, String how, LiteFsProperties props, boolean mountDirSet,
      String hostname, Function<String, String> processEnv) {
    LiteFsConfig config;
    try {
      config = new ConfigLoader(processEnv).load(file, true).config();
    } catch (ConfigException e) {
      throw new LiteFsStartupException("The LiteFS config " + file + " (" + how + ") is invalid:\n"
          + problems(e.problems()), "Fix the file; 'litefs mount -config " + file + " -validate' checks it.");
    }
    if (!config.exec().isEmpty()) {
      throw new LiteFsStartupException("The LiteFS config " + file + " (" + how + ") has exec commands ("
          + config.exec().get(0).cmd() + "), but in managed mode the application starts the engine, not the "
          + "other way round: the engine would start them as well.",
          "Remove the exec section, or run the application under the engine instead ('litefs mount -- java -jar "
              + "app.jar') with litefs.mode=sidecar.");
    }
    Path mountDir = Path.of(config.fuse().dir()).toAbsolutePath().normalize();
    if (mountDirSet && !props.getMountDir().toAbsolutePath().normalize().equals(mountDir)) {
      throw new LiteFsStartupException("litefs.mount-dir is " + props.getMountDir() + ", but the LiteFS config "
          + file + " mounts at " + config.fuse().dir() + " (fuse.dir).",
          "Set litefs.mount-dir to the config's fuse.dir, or leave it unset: managed mode then takes fuse.dir.");
    }
    return new ManagedConfig(file, false, config, mountDir, eventsUrl(config.http().addr()),
        blankToNull(config.http().token()), hostnameFrom(config, props, hostname));
  }

  private static ManagedConfig generate(LiteFsProperties props, String hostname, Path workDir) {
    LiteFsManagedProperties.Lease lease = props.getManaged().getLease();
    String leaseHostname = lease.getHostname();
    if ("static".equalsIgnoreCase(lease.getType()) && !lease.isCandidate()
        && (leaseHostname == null || leaseHostname.isBlank())) {
      // LiteFS's static lease takes the primary's name from a replica's lease.hostname; this node's own name
      // there would make .primary, and so fly-replay, point the replica at itself.
      throw new LiteFsStartupException("litefs.managed.lease.candidate is false with a static lease, but "
          + "litefs.managed.lease.hostname is not set: a static replica names its primary there.",
          "Set litefs.managed.lease.hostname to the primary's hostname and litefs.managed.lease.advertise-url to "
              + "its node API URL, as in LiteFS's static lease.");
    }
    Path file = workDir.resolve("litefs.yml");
    String yaml = LiteFsYml.render(props.getManaged(), props.getMountDir(), hostname);
    try {
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the engine's config " + file, e);
    }
    LiteFsConfig config;
    try {
      config = new ConfigLoader(name -> null).load(file, false).config();
    } catch (ConfigException e) {
      throw new LiteFsStartupException("The litefs.yml written from litefs.managed.* is invalid:\n"
          + problems(e.problems()), "Fix the litefs.managed.* property behind each key named above (the key "
              + "lease.etcd.key is set by litefs.managed.lease.etcd.key, fuse.dir by litefs.mount-dir).");
    }
    return new ManagedConfig(file, true, config, props.getMountDir().toAbsolutePath().normalize(),
        eventsUrl(config.http().addr()), blankToNull(config.http().token()), hostname);
  }

  /**
   * The starter's name for this node: {@code litefs.hostname} when set, else lease.hostname, except on a static
   * replica, where lease.hostname names the primary (as in LiteFS).
   */
  private static String hostnameFrom(LiteFsConfig config, LiteFsProperties props, String hostname) {
    String lease = config.lease().hostname();
    boolean namesPrimary = config.lease().type() == LeaseType.STATIC && !config.lease().candidate();
    if (props.getHostname() != null && !props.getHostname().isBlank() || lease.isEmpty() || namesPrimary
        || !Hostnames.isValid(lease)) {
      return hostname;
    }
    return lease;
  }

  /**
   * The node API's event stream for an http.addr in Go's {@code host:port} form: an empty or wildcard host
   * listens on every interface, so the starter connects over loopback.
   */
  static URI eventsUrl(String addr) {
    int colon = addr.lastIndexOf(':');
    String host = colon < 0 ? "" : addr.substring(0, colon);
    String port = addr.substring(colon + 1);
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + host + ":" + port + "/events");
  }

  private static String problems(List<ConfigProblem> problems) {
    return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
