package dev.litefs.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The rules a bound configuration must meet: LiteFS's ({@code fuse.dir} and {@code data.dir} set and different,
 * a known {@code lease.type}, no {@code lease.databases} on candidates), what LiteFS only finds at startup
 * ({@code lease.consul.key}, {@code log.format}), a few more that catch configurations that could never work,
 * and those of our {@link Extensions}. A rule skips values it may not judge (see {@link ConfigKeys#isValueKnown}).
 */
final class ConfigValidator {
  private static final Set<String> LOG_FORMATS = Set.of("text", "json");

  private final ConfigKeys keys;
  private final Problems problems;

  private ConfigValidator(ConfigKeys keys, Problems problems) {
    this.keys = keys;
    this.problems = problems;
  }

  static void validate(LiteFsConfig config, ConfigKeys keys, Problems problems) {
    ConfigValidator validator = new ConfigValidator(keys, problems);
    validator.directories(config.fuse(), config.data());
    validator.lease(config.lease());
    validator.log(config.log());
    Extensions.validate(config, validator);
  }

  private void directories(FuseConfig fuse, DataConfig data) {
    requireValue("fuse.dir", fuse.dir(), "");
    requireValue("data.dir", data.dir(), "");
    if (isKnown("fuse.dir") && isKnown("data.dir") && !fuse.dir().isEmpty() && samePath(fuse.dir(), data.dir())) {
      error(keys.isPresent("data.dir") ? "data.dir" : "fuse.dir",
          "fuse.dir and data.dir must be different directories, both are \"" + data.dir() + "\"");
    }
  }

  private void lease(LeaseConfig lease) {
    if (!isKnown("lease.type")) {
      return;
    }
    if (lease.type() == null) {
      error("lease.type", "lease.type is required: " + LeaseType.names());
      return;
    }
    if (isKnown("lease.candidate") && lease.candidate() && !lease.databases().isEmpty()) {
      error("lease.databases", "lease.databases (a replication filter) is not allowed on a candidate; "
          + "set lease.candidate: false on nodes that replicate only some databases");
    }
    if (lease.type() == LeaseType.STATIC && isKnown("lease.candidate") && !lease.candidate()) {
      requireValue("lease.advertise-url", lease.advertiseUrl(),
          " with a static lease on a replica (lease.candidate: false): it is the primary's URL");
    }
    requireHttpUrl("lease.advertise-url", lease.advertiseUrl(), true);
    if (lease.type() == LeaseType.CONSUL) {
      // Empty is allowed: LiteFS then uses Consul's default, the local agent (or CONSUL_HTTP_ADDR).
      requireHttpUrl("lease.consul.url", lease.consul().url(), true);
      requireValue("lease.consul.key", lease.consul().key(), " with lease.type: consul");
    }
  }

  private void log(LogConfig log) {
    if (isKnown("log.format") && !LOG_FORMATS.contains(log.format())) {
      error("log.format", "log.format must be text or json, got \"" + log.format() + "\"");
    }
  }

  /** Whether a rule may judge the value at {@code path}. */
  boolean isKnown(String path) {
    return keys.isValueKnown(path);
  }

  /** Reports {@code message} at {@code path}'s line, or its section's when absent. */
  void error(String path, String message) {
    problems.error(keys.line(path), message);
  }

  /** Reports {@code path is required<condition>} when the value is known and empty. */
  void requireValue(String path, String value, String condition) {
    if (isKnown(path) && value.isBlank()) {
      error(path, path + " is required" + condition);
    }
  }

  /**
   * Reports a known value that is not an {@code http://} or {@code https://} URL with a host; an empty value
   * passes when {@code optional}.
   */
  void requireHttpUrl(String path, String value, boolean optional) {
    if (isKnown(path) && !(optional && value.isEmpty()) && !isHttpUrl(value)) {
      error(path, path + " must be an http:// or https:// URL, got \"" + value + "\"");
    }
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      // The authority, not the host: URI rejects host names with underscores, which Docker networks use.
      return (scheme.equals("http") || scheme.equals("https")) && uri.getRawAuthority() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** LiteFS compares the strings; normalizing also catches {@code /litefs} against {@code /litefs/}. */
  private static boolean samePath(String a, String b) {
    try {
      return Path.of(a).normalize().equals(Path.of(b).normalize());
    } catch (InvalidPathException e) {
      return a.equals(b);
    }
  }
}
