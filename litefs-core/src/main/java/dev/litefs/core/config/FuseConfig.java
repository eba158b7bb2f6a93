package dev.litefs.core.config;

import java.util.Objects;

/**
 * The {@code fuse} section: the mount that applications open their databases through.
 *
 * @param dir the mount directory ({@code fuse.dir}); required, and not the data directory
 * @param allowOther let users other than the mounting one use the mount ({@code fuse.allow-other}); needs
 *     {@code user_allow_other} in {@code /etc/fuse.conf}
 * @param debug log every FUSE call ({@code fuse.debug}, or the {@code -fuse.debug} flag)
 */
public record FuseConfig(String dir, boolean allowOther, boolean debug) {
  /** LiteFS's defaults: mounted at {@code /litefs}, owner only, no debug logging. */
  public static final FuseConfig DEFAULT = new FuseConfig("/litefs", false, false);

  public FuseConfig {
    Objects.requireNonNull(dir, "dir");
  }

  /** Returns this section with {@code debug} set, as the {@code -fuse.debug} flag does. */
  public FuseConfig withDebug(boolean debug) {
    return new FuseConfig(dir, allowOther, debug);
  }
}
