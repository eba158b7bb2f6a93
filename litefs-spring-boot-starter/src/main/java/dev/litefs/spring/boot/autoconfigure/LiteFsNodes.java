package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFsMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;

/** Chooses the mode (resolving {@code litefs.mode=auto}) and builds the {@link AbstractLiteFs} for it. */
final class LiteFsNodes {
  private static final Logger log = LoggerFactory.getLogger(LiteFsNodes.class);

  private LiteFsNodes() {}

  static AbstractLiteFs create(LiteFsProperties props, Environment env, ApplicationEventPublisher publisher,
      FuseSupport fuse) {
    LiteFsMode mode = resolveMode(props, env, fuse);
    String hostname = hostname(props, env);
    RolePublisher roles = new RolePublisher(publisher);
    return switch (mode) {
      case DEV -> new DevLiteFs(hostname, props.getDatabases(), props.getDev().getDir(), roles);
      case MANAGED -> ManagedLiteFs.create(props, env, hostname, roles);
      default -> new SidecarLiteFs(hostname, props.getDatabases(), props.getSidecar(),
          new MountFiles(props.getMountDir()), roles);
    };
  }

  /**
   * The mode to run in. {@code auto}: sidecar on a live mount at {@code litefs.mount-dir}; else managed when it is
   * configured ({@code litefs.managed.config} or {@code litefs.managed.lease.type}) and this machine has FUSE,
   * dev mode with a warning when it has not; else dev mode. On a Fly.io Machine auto never falls back to dev.
   */
  static LiteFsMode resolveMode(LiteFsProperties props, Environment env, FuseSupport fuse) {
    Path mount = props.getMountDir();
    boolean onFly = env.getProperty("FLY_MACHINE_ID") != null;
    switch (props.getMode()) {
      case MANAGED -> {
        List<String> missing = fuse.missing();
        if (!missing.isEmpty()) {
          throw fuseMissing("litefs.mode is managed", missing);
        }
        return LiteFsMode.MANAGED;
      }
      case SIDECAR -> {
        if (!MountFiles.isMount(mount)) {
          throw notAMount(mount, "litefs.mode is sidecar");
        }
        return LiteFsMode.SIDECAR;
      }
      case DEV -> {
        return LiteFsMode.DEV;
      }
      default -> {
        if (MountFiles.isMount(mount)) {
          return LiteFsMode.SIDECAR;
        }
        if (managedConfigured(props)) {
          List<String> missing = fuse.missing();
          if (missing.isEmpty()) {
            return LiteFsMode.MANAGED;
          }
          if (onFly) {
            throw fuseMissing("This is a Fly.io Machine (FLY_MACHINE_ID is set) and litefs.managed.* is set", missing);
          }
          log.warn("litefs.managed.* is set, but this machine cannot run the LiteFS engine's FUSE mount (missing: {}); "
              + "litefs.mode is auto, so the application runs in dev mode instead", String.join("; ", missing));
          return LiteFsMode.DEV;
        }
        if (onFly) {
          throw notAMount(mount, "This is a Fly.io Machine (FLY_MACHINE_ID is set) and litefs.mode is auto");
        }
        return LiteFsMode.DEV;
      }
    }
  }

  /** Whether the properties ask for managed mode: a litefs.yml for the engine, or a lease to write one with. */
  static boolean managedConfigured(LiteFsProperties props) {
    return props.getManaged().getConfig() != null || props.getManaged().getLease().getType() != null;
  }

  private static LiteFsStartupException fuseMissing(String why, List<String> missing) {
    return new LiteFsStartupException(why + ", but this machine cannot run the LiteFS engine's FUSE mount. "
        + "Missing: " + String.join("; ", missing) + ".",
        "Install fuse3 and libfuse2 (Debian and Ubuntu: apt-get install fuse3 libfuse2) and, in a container, give "
            + "it /dev/fuse (docker run --device /dev/fuse --cap-add SYS_ADMIN; Fly Machines have it). Or set "
            + "litefs.mode=dev to run on plain files without replication.");
  }

  private static LiteFsStartupException notAMount(Path mount, String why) {
    String found = Files.isDirectory(mount) ? "exists but is not a LiteFS mount (it has no .lag file)" : "does not exist";
    return new LiteFsStartupException(
        why + ", but the mount directory " + mount + " (litefs.mount-dir) " + found + ".",
        "Start the application under LiteFS ('litefs mount -- java -jar app.jar') with fuse.dir equal to "
            + "litefs.mount-dir, or let the application start the engine itself (litefs.mode=managed), or set "
            + "litefs.mode=dev to run on plain files without replication.");
  }

  /** This node's name: litefs.hostname, then FLY_MACHINE_ID, HOSTNAME, and the local host name. */
  static String hostname(LiteFsProperties props, Environment env) {
    String configured = props.getHostname();
    if (configured != null && !configured.isBlank()) {
      if (!Hostnames.isValid(configured)) {
        throw new LiteFsStartupException("litefs.hostname " + Hostnames.quote(configured)
            + " is not a valid hostname.", "Use only ASCII letters, digits, '.', '-' and '_' in litefs.hostname.");
      }
      return configured;
    }
    for (String name : new String[] {"FLY_MACHINE_ID", "HOSTNAME"}) {
      String value = env.getProperty(name);
      if (Hostnames.isValid(value)) {
        return value;
      }
    }
    String local = localHostName();
    return Hostnames.isValid(local) ? local : "localhost";
  }

  private static @Nullable String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
