package dev.litefs.core.config;

import java.util.Objects;

/**
 * The {@code backup} section: LiteFS's backup streaming to a file or to LiteFS Cloud (now retired). Accepted so
 * that LiteFS configs load, but not implemented in litefs-java (see {@link NotYetImplemented}).
 *
 * @param type {@code ""} (none), {@code file} or {@code litefs-cloud} ({@code backup.type})
 * @param path the backup directory of the {@code file} type ({@code backup.path})
 * @param url the LiteFS Cloud endpoint ({@code backup.url}); empty means {@link #DEFAULT_URL}, as in LiteFS
 * @param cluster the LiteFS Cloud cluster name ({@code backup.cluster})
 * @param authToken the LiteFS Cloud token ({@code backup.auth-token})
 */
public record BackupConfig(String type, String path, String url, String cluster, String authToken) {
  /** The LiteFS Cloud endpoint that LiteFS uses when {@code backup.url} is empty. */
  public static final String DEFAULT_URL = "https://litefs.fly.io";

  /** LiteFS's defaults: no backup. */
  public static final BackupConfig DEFAULT = new BackupConfig("", "", DEFAULT_URL, "", "");

  public BackupConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(path, "path");
    url = Objects.requireNonNull(url, "url").isEmpty() ? DEFAULT_URL : url;
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(authToken, "authToken");
  }
}
