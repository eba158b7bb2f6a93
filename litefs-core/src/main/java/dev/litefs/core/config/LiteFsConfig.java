package dev.litefs.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A whole {@code litefs.yml}: LiteFS v0.5.14's schema plus our {@link Extensions}. Immutable; read one with
 * {@link ConfigLoader}.
 *
 * @param exitOnError exit when startup fails ({@code exit-on-error}); false keeps a broken node up for debugging
 * @param skipSync start {@code exec} without waiting to become primary or to sync ({@code skip-sync})
 * @param strictVerify verify the whole database checksum after every transaction ({@code strict-verify}); slow,
 *     for tests
 * @param exec the commands to run once ready ({@code exec}); all but the last must succeed, the last runs for the
 *     node's lifetime
 * @param data the {@code data} section
 * @param fuse the {@code fuse} section
 * @param http the {@code http} section
 * @param proxy the {@code proxy} section
 * @param lease the {@code lease} section
 * @param backup the {@code backup} section
 * @param log the {@code log} section
 * @param tracing the {@code tracing} section
 */
public record LiteFsConfig(
    boolean exitOnError,
    boolean skipSync,
    boolean strictVerify,
    List<ExecEntry> exec,
    DataConfig data,
    FuseConfig fuse,
    HttpConfig http,
    ProxyConfig proxy,
    LeaseConfig lease,
    BackupConfig backup,
    LogConfig log,
    TracingConfig tracing) {
  /** LiteFS's {@code NewConfig()}: what a file that sets nothing means. Not valid alone: it has no lease type. */
  public static final LiteFsConfig DEFAULT = new LiteFsConfig(true, false, false, List.of(), DataConfig.DEFAULT,
      FuseConfig.DEFAULT, HttpConfig.DEFAULT, ProxyConfig.DEFAULT, LeaseConfig.DEFAULT, BackupConfig.DEFAULT,
      LogConfig.DEFAULT, TracingConfig.DEFAULT);

  public LiteFsConfig {
    exec = List.copyOf(exec);
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(fuse, "fuse");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(backup, "backup");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(tracing, "tracing");
  }

  /** Returns this configuration with {@code exec} replaced, as the arguments after {@code --} do. */
  public LiteFsConfig withExec(List<ExecEntry> exec) {
    return new LiteFsConfig(exitOnError, skipSync, strictVerify, exec, data, fuse, http, proxy, lease, backup,
        log, tracing);
  }

  /** Returns this configuration with the {@code fuse} section replaced. */
  public LiteFsConfig withFuse(FuseConfig fuse) {
    return new LiteFsConfig(exitOnError, skipSync, strictVerify, exec, data, fuse, http, proxy, lease, backup,
        log, tracing);
  }

  /** Returns this configuration with the {@code log} section replaced. */
  public LiteFsConfig withLog(LogConfig log) {
    return new LiteFsConfig(exitOnError, skipSync, strictVerify, exec, data, fuse, http, proxy, lease, backup,
        log, tracing);
  }
}
