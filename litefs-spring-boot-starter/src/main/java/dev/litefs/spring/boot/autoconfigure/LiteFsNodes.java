package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFsMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;

/** Chooses the mode (resolving {@code litefs.mode=auto}) and builds the {@link AbstractLiteFs} for it. */
final class LiteFsNodes {

  private LiteFsNodes() {}

  static AbstractLiteFs create(LiteFsProperties props, Environment env, ApplicationEventPublisher publisher) {
    LiteFsMode mode = resolveMode(props, env);
    String hostname = hostname(props, env);
    RolePublisher roles = new RolePublisher(publisher);
    if (mode == LiteFsMode.DEV) {
      return new DevLiteFs(hostname, props.getDatabases(), props.getDev().getDir(), roles);
    }
    return new SidecarLiteFs(hostname, props.getDatabases(), props.getSidecar(), new MountFiles(props.getMountDir()),
        roles);
  }

  static LiteFsMode resolveMode(LiteFsProperties props, Environment env) {
    Path mount = props.getMountDir();
    switch (props.getMode()) {
      case MANAGED -> throw new LiteFsStartupException(
          "litefs.mode is managed, but managed mode (the starter running the LiteFS engine as a child process) "
              + "is not available in this version.",
          "Run the application under a LiteFS mount and set litefs.mode=sidecar (for example "
              + "'litefs mount -- java -jar app.jar'), or set litefs.mode=dev to run on plain files without "
              + "replication.");
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
        if (env.getProperty("FLY_MACHINE_ID") != null) {
          throw notAMount(mount, "This is a Fly.io Machine (FLY_MACHINE_ID is set) and litefs.mode is auto");
        }
        return LiteFsMode.DEV;
      }
    }
  }

  private static LiteFsStartupException notAMount(Path mount, String why) {
    String found = Files.isDirectory(mount) ? "exists but is not a LiteFS mount (it has no .lag file)" : "does not exist";
    return new LiteFsStartupException(
        why + ", but the mount directory " + mount + " (litefs.mount-dir) " + found + ".",
        "Start the application under LiteFS ('litefs mount -- java -jar app.jar') with fuse.dir equal to "
            + "litefs.mount-dir, or set litefs.mode=dev to run on plain files without replication.");
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
